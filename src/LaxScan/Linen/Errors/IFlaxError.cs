namespace LaxScan.Linen;

/// <summary>
/// One of the errors ported from Flax's <c>flax/errors.py</c>, under Flax's name. Each derives from the .NET exception
/// that says what it is (<see cref="ArgumentException"/> for variables or keys passed in that do not fit,
/// <see cref="KeyNotFoundException"/> for a parameter or collection that is absent, <see cref="InvalidOperationException"/>
/// for a module that does something it may not at that point; docs/errors.md lists each), so a .NET caller catches them
/// as those, and a caller who knows Flax tests for this interface or the Flax name. As in Flax, the message ends with a
/// link to the class's entry in Flax's error reference.
/// </summary>
public interface IFlaxError
{
    /// <summary>The class's name in <c>flax.errors</c>, such as <c>ScopeParamShapeError</c>.</summary>
    string FlaxClassName { get; }
}

/// <summary>The message text Flax's errors share.</summary>
internal static class FlaxErrorText
{
    /// <summary>Flax's error reference page, which has an anchor per error class.</summary>
    public const string ErrorPage = "https://flax.readthedocs.io/en/latest/api_reference/flax.errors.html";

    /// <summary>The message followed by Flax's link for <paramref name="flaxClassName"/>, as Flax writes it.</summary>
    public static string WithLink(string message, string flaxClassName) => $"{message} ({ErrorPage}#flax.errors.{flaxClassName})";
}
