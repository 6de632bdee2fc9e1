using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace LaxScan;

/// <summary>Throws the library's argument errors, so call sites stay small and stack traces end at the caller.</summary>
[StackTraceHidden]
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowArgument(string message, string? paramName = null) =>
        throw new ArgumentException(message, paramName);

    [DoesNotReturn]
    public static void ThrowArgumentOutOfRange(string message, string? paramName = null) =>
        throw new ArgumentOutOfRangeException(paramName, message);
}
