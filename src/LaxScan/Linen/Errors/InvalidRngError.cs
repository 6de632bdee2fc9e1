namespace LaxScan.Linen;

/// <summary>
/// Flax's <c>InvalidRngError</c>: a module asked for a key from an RNG stream that was not passed (and no
/// <c>params</c> stream exists to fall back on). Pass the stream to <c>Init</c> or <c>Apply</c>, as in
/// <c>{"params": key, "dropout": key2}</c>.
/// </summary>
public sealed class InvalidRngError : ArgumentException, IFlaxError
{
    /// <summary>Creates the error.</summary>
    /// <param name="scopeName">The name of the scope that asked (Flax prints <c>None</c> for the root).</param>
    /// <param name="stream">The stream it asked for.</param>
    public InvalidRngError(string? scopeName, string stream)
        : base(FlaxErrorText.WithLink($"{scopeName ?? "None"} needs PRNG for \"{stream}\"", nameof(InvalidRngError)))
    {
        ScopeName = scopeName;
        Stream = stream;
    }

    /// <summary>The name of the scope that asked, or null for the root.</summary>
    public string? ScopeName { get; }

    /// <summary>The stream it asked for.</summary>
    public string Stream { get; }

    /// <inheritdoc/>
    public string FlaxClassName => nameof(InvalidRngError);
}
