namespace LaxScan.Verification;

/// <summary>
/// The case kinds LaxScan can check, one handler per kind. A new kind adds its handler file to this folder and one
/// line here; its Python side is <c>reference/jax/kinds/NAME.py</c> (see <c>reference/jax/README.md</c>).
/// </summary>
internal static class CaseHandlers
{
    /// <summary>Every built-in handler.</summary>
    public static IReadOnlyList<ICaseHandler> Default { get; } =
    [
        new MissionCaseHandler(),
        new RandomCaseHandler(),
        new InitCaseHandler(),
        new MathCaseHandler(),
        new DenseCaseHandler(),
        new DotCaseHandler(),
        new HloCaseHandler(),
        new RnnCaseHandler(),
        new RnnMathCaseHandler(),
    ];
}
