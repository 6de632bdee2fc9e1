namespace LaxScan.Linen;

/// <summary>
/// Flax's <c>ApplyScopeInvalidVariablesTypeError</c>: a top-level entry of the variables passed to <c>Apply</c> is an
/// array, but each must be a collection (a dictionary), as in <c>{"params": {...}}</c>.
/// </summary>
public sealed class ApplyScopeInvalidVariablesTypeError : ArgumentException, IFlaxError
{
    /// <summary>Creates the error.</summary>
    /// <param name="collection">The top-level name that holds an array.</param>
    public ApplyScopeInvalidVariablesTypeError(string collection)
        : base(FlaxErrorText.WithLink(
            "The first argument passed to an apply function should be a dictionary of collections. " +
            "Each collection should be a dictionary with string keys." +
            $" (\"{collection}\" holds an array.)", nameof(ApplyScopeInvalidVariablesTypeError)))
    {
        Collection = collection;
    }

    /// <summary>The top-level name that holds an array.</summary>
    public string Collection { get; }

    /// <inheritdoc/>
    public string FlaxClassName => nameof(ApplyScopeInvalidVariablesTypeError);
}
