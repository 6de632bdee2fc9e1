namespace LaxScan.Io;

/// <summary>
/// A byte sequence is not a Flax msgpack checkpoint that LaxScan can load: malformed msgpack, a truncated file, a
/// length that claims more bytes than remain, nesting deeper than the limit, an array whose shape and bytes disagree,
/// or a leaf LaxScan's variables cannot hold (such as a float64 array). Every problem with the bytes of a checkpoint
/// surfaces as this one type, so a caller can tell bad input from a bug.
/// </summary>
public sealed class FlaxCheckpointException : FormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, where, and what was expected.</param>
    /// <param name="offset">The byte offset in the checkpoint where the offending item starts, or -1 when not known.</param>
    /// <param name="path">The '/'-joined names of the dictionaries leading to the item, or empty at the top level.</param>
    /// <param name="innerException">The lower-level error, if any.</param>
    public FlaxCheckpointException(string message, long offset = -1, string path = "", Exception? innerException = null)
        : base(message, innerException)
    {
        Offset = offset;
        Path = path ?? string.Empty;
    }

    /// <summary>The byte offset where the offending item starts, or -1 when not known.</summary>
    public long Offset { get; }

    /// <summary>The '/'-joined names leading to the offending item, such as <c>params/W</c>; empty at the top level.</summary>
    public string Path { get; }
}
