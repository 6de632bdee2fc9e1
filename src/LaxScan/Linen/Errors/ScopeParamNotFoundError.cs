namespace LaxScan.Linen;

/// <summary>
/// Flax's <c>ScopeParamNotFoundError</c>: <c>Apply</c> needs a parameter that the variables do not hold (the
/// <c>params</c> collection is immutable in apply, so it cannot be made). Pass the variables that <c>Init</c> returned
/// for the same module.
/// </summary>
public sealed class ScopeParamNotFoundError : KeyNotFoundException, IFlaxError
{
    /// <summary>Creates the error.</summary>
    /// <param name="paramName">The parameter's name.</param>
    /// <param name="scopePath">The scope's path text, such as <c>/Dense_0</c>.</param>
    public ScopeParamNotFoundError(string paramName, string scopePath)
        : base(FlaxErrorText.WithLink($"Could not find parameter named \"{paramName}\" in scope \"{scopePath}\".", nameof(ScopeParamNotFoundError)))
    {
        ParamName = paramName;
        ScopePath = scopePath;
    }

    /// <summary>The parameter's name.</summary>
    public string ParamName { get; }

    /// <summary>The scope's path text.</summary>
    public string ScopePath { get; }

    /// <inheritdoc/>
    public string FlaxClassName => nameof(ScopeParamNotFoundError);
}
