namespace LaxScan.Linen;

/// <summary>
/// The variables hold something other than a float32 array where a module asks for a float32 parameter (a nested
/// dictionary, or an array of another dtype). Flax has no such error because Python returns whatever is there; a typed
/// module cannot, so LaxScan says so instead of failing later with a cast error.
/// </summary>
public sealed class ScopeParamTypeError : ArgumentException
{
    private readonly string _paramName;

    /// <summary>Creates the error.</summary>
    /// <param name="paramName">The parameter's name.</param>
    /// <param name="scopePath">The scope's path text.</param>
    /// <param name="found">What the variables hold there, such as <c>uint32[3]</c> or <c>a nested dict</c>.</param>
    public ScopeParamTypeError(string paramName, string scopePath, string found)
        : base(
            $"For parameter \"{paramName}\" in \"{scopePath}\", a float32 array was expected, but the variables hold {found}. " +
            "Pass the variables that Init returned for this module.")
    {
        _paramName = paramName;
        ScopePath = scopePath;
        Found = found;
    }

    /// <summary>
    /// The Flax parameter's name, such as <c>W</c> (<see cref="ArgumentException.ParamName"/>, which the message does not
    /// repeat: the message already names it).
    /// </summary>
    public override string ParamName => _paramName;

    /// <summary>The scope's path text.</summary>
    public string ScopePath { get; }

    /// <summary>What the variables hold at the parameter's place.</summary>
    public string Found { get; }
}
