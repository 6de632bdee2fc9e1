namespace LaxScan.Verification;

/// <summary>A reference bundle that cannot be read: a missing file, invalid JSON, a case or result that breaks the schema, a damaged file.</summary>
internal sealed class ReferenceBundleException : FormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, naming the bundle and, where there is one, the case.</param>
    public ReferenceBundleException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="inner">The parser's or the file system's exception.</param>
    public ReferenceBundleException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
