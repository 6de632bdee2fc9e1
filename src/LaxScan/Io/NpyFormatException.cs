namespace LaxScan.Io;

/// <summary>What is wrong with a <c>.npy</c> file, so callers and tests can tell problems apart without parsing messages.</summary>
public enum NpyErrorKind
{
    /// <summary>The file has no bytes at all.</summary>
    Empty,

    /// <summary>The file ends inside the magic string, the version, the header length field, the header or the data.</summary>
    Truncated,

    /// <summary>The file does not start with the magic string <c>\x93NUMPY</c>.</summary>
    BadMagic,

    /// <summary>The format version is not 1.0, 2.0 or 3.0.</summary>
    UnsupportedVersion,

    /// <summary>The header length field exceeds <see cref="NpyReader.MaxHeaderLength"/>, or puts the data at an offset that is not a multiple of 16. (A length beyond the end of the file is <see cref="Truncated"/>.)</summary>
    BadHeaderLength,

    /// <summary>The header is not the Python dict literal the format prescribes, or its keys are not exactly <c>descr</c>, <c>fortran_order</c> and <c>shape</c>.</summary>
    BadHeader,

    /// <summary>The dtype is not one LaxScan reads (such as big-endian or float64 data).</summary>
    UnsupportedDType,

    /// <summary>The dtype is supported, but not the one the caller asked for.</summary>
    DTypeMismatch,

    /// <summary>The array is stored in Fortran (column-major) order.</summary>
    FortranOrder,

    /// <summary>The shape has a negative dimension, a dimension beyond <see cref="int.MaxValue"/>, or more bytes than a 64-bit count holds.</summary>
    BadShape,

    /// <summary>The data is longer than the shape and dtype say: bytes follow the array.</summary>
    TrailingData,
}

/// <summary>
/// A <c>.npy</c> file (or stream) that LaxScan cannot read: malformed, truncated, or holding data of another dtype, byte
/// order or memory order. Every content problem the reader finds is this one type; problems reaching the file (a missing
/// file, a denied permission) stay the <see cref="IOException"/>s .NET raises for them, because the fix is elsewhere.
/// </summary>
/// <remarks>The message starts with the file name, so a command line can print it as is after <c>error: </c>.</remarks>
public sealed class NpyFormatException : FormatException
{
    /// <summary>Creates the exception for a problem in <paramref name="fileName"/>.</summary>
    /// <param name="fileName">The path of the file, or a name for the stream.</param>
    /// <param name="kind">What went wrong.</param>
    /// <param name="reason">The problem and, where there is one, what to do about it.</param>
    public NpyFormatException(string fileName, NpyErrorKind kind, string reason)
        : base($"{fileName}: {reason}")
    {
        FileName = fileName;
        Kind = kind;
        Reason = reason;
    }

    /// <summary>The path of the file, or the name given for the stream.</summary>
    public string FileName { get; }

    /// <summary>What went wrong.</summary>
    public NpyErrorKind Kind { get; }

    /// <summary>The message without the file name.</summary>
    public string Reason { get; }
}
