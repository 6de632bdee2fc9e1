namespace LaxScan;

/// <summary>
/// A <c>lax.scan</c> body returned a carry whose type (structure, shapes or dtypes) differs from the carry it was
/// given, JAX's <c>TypeError</c> "scan body function carry input and carry output must have equal types".
/// </summary>
public sealed class ScanCarryTypeError : InvalidOperationException
{
    internal ScanCarryTypeError(string message)
        : base(message)
    {
    }
}
