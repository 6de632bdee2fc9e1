namespace LaxScan.Linen;

/// <summary>
/// The base of the errors ported from Flax's <c>flax/errors.py</c>. As in Flax, the message ends with a link to the
/// class's entry in Flax's error reference, which explains the cause and the fix at length.
/// </summary>
public abstract class FlaxError : Exception
{
    /// <summary>Flax's error reference page, which has an anchor per error class.</summary>
    public const string ErrorPage = "https://flax.readthedocs.io/en/latest/api_reference/flax.errors.html";

    /// <summary>Creates the error with a message and, when <paramref name="flaxClassName"/> is given, Flax's link for it.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    /// <param name="flaxClassName">The name of the matching class in <c>flax.errors</c>, or null when Flax has none.</param>
    protected FlaxError(string message, string? flaxClassName)
        : base(flaxClassName is null ? message : $"{message} ({ErrorPage}#flax.errors.{flaxClassName})")
    {
    }
}
