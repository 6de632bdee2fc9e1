namespace LaxScan.Cli.Commands;

/// <summary>Option descriptions several commands share, so the help reads the same everywhere.</summary>
internal static class Help
{
    /// <summary>The optional <c>--shape</c> of the random commands.</summary>
    public const string Shape = "The shape, comma-separated extents such as 2,3. Omitted or \"\" is the scalar shape (), printed as a bare number. [default: ()]";
}
