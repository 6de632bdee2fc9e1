namespace LaxScan.Cli;

/// <summary>The one line a failure prints after <c>error: </c>.</summary>
internal static class ErrorText
{
    /// <summary>The message of an exception, without .NET's decorations, as one line.</summary>
    public static string Of(Exception exception)
    {
        // A type initializer's failure says only which type; its cause is the message the user needs.
        if (exception is TypeInitializationException { InnerException: { } cause })
        {
            return Of(cause);
        }

        string message = exception switch
        {
            ArgumentException { ParamName: { } name } a => StripParameterSuffix(a.Message, name),
            InsufficientMemoryException => exception.Message,
            OutOfMemoryException => "out of memory: the result does not fit in the memory available to laxscan",
            _ => exception.Message,
        };

        // Known library and I/O errors already say what went wrong; anything else is a bug, so name its type.
        bool expected = exception is ArgumentException or InsufficientMemoryException or OutOfMemoryException
            or IOException or UnauthorizedAccessException or NotSupportedException or FormatException
            or InvalidOperationException or OverflowException or OperationCanceledException or Linen.IFlaxError;
        return OneLine(expected ? message : $"{exception.GetType().Name}: {message}");
    }

    /// <summary>Folds a message onto one line.</summary>
    public static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    // ArgumentException appends " (Parameter 'name')" to the library's message; the CLI user never sees parameter names.
    private static string StripParameterSuffix(string message, string name)
    {
        string suffix = $" (Parameter '{name}')";
        int at = message.IndexOf(suffix, StringComparison.Ordinal);
        return at < 0 ? message : message.Remove(at, suffix.Length);
    }
}
