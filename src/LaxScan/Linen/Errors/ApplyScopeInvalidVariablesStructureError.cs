namespace LaxScan.Linen;

/// <summary>
/// Flax's <c>ApplyScopeInvalidVariablesStructureError</c>: <c>Apply</c> got <c>{"params": {"params": ...}}</c>, one
/// <c>params</c> level too many; pass the inner dictionary.
/// </summary>
public sealed class ApplyScopeInvalidVariablesStructureError : ArgumentException, IFlaxError
{
    /// <summary>Creates the error.</summary>
    /// <param name="variables">The variables that were passed.</param>
    public ApplyScopeInvalidVariablesStructureError(Variables variables)
        : base(FlaxErrorText.WithLink(
            "Expect the `variables` (first argument) passed to apply() to be a dict with the structure {\"params\": ...}, " +
            "but got a dict with an extra params layer, i.e.  {\"params\": {\"params\": ... } }. " +
            "You should instead pass in your dict's [\"params\"].", nameof(ApplyScopeInvalidVariablesStructureError)))
    {
        Variables = variables;
    }

    /// <summary>The variables that were passed.</summary>
    public Variables Variables { get; }

    /// <inheritdoc/>
    public string FlaxClassName => nameof(ApplyScopeInvalidVariablesStructureError);
}
