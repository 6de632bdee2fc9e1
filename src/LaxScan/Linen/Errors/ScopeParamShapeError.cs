namespace LaxScan.Linen;

/// <summary>
/// Flax's <c>ScopeParamShapeError</c>: an existing parameter's shape differs from the shape its initializer would
/// make, typically because <c>Apply</c> got an input of another shape than <c>Init</c> did.
/// </summary>
public sealed class ScopeParamShapeError : ArgumentException, IFlaxError
{
    private readonly string _paramName;

    /// <summary>Creates the error.</summary>
    /// <param name="paramName">The parameter's name.</param>
    /// <param name="scopePath">The scope's path text, such as <c>/Dense_0</c>.</param>
    /// <param name="valueShape">The shape of the parameter found in the variables.</param>
    /// <param name="initShape">The shape the module asked for.</param>
    public ScopeParamShapeError(string paramName, string scopePath, Shape valueShape, Shape initShape)
        : base(FlaxErrorText.WithLink(
            $"For parameter \"{paramName}\" in \"{scopePath}\", the given initializer is expected to generate shape " +
            $"{initShape}, but the existing parameter it received has shape {valueShape}.", nameof(ScopeParamShapeError)))
    {
        _paramName = paramName;
        ScopePath = scopePath;
        ValueShape = valueShape;
        InitShape = initShape;
    }

    /// <summary>
    /// The Flax parameter's name, such as <c>W</c> (<see cref="ArgumentException.ParamName"/>, which the message does not
    /// repeat: the message already names it).
    /// </summary>
    public override string ParamName => _paramName;

    /// <summary>The scope's path text.</summary>
    public string ScopePath { get; }

    /// <summary>The shape of the parameter found in the variables.</summary>
    public Shape ValueShape { get; }

    /// <summary>The shape the module asked for.</summary>
    public Shape InitShape { get; }

    /// <inheritdoc/>
    public string FlaxClassName => nameof(ScopeParamShapeError);
}
