namespace LaxScan.Io;

/// <summary>
/// A file that appears under its name complete or not at all: the bytes go to a temporary file in the same directory,
/// which is flushed to disk and then renamed over the target. A rename within one directory is atomic on POSIX and
/// NTFS, so a reader never sees half a file and a failure or cancellation leaves the old file (or nothing) in place.
/// </summary>
internal sealed class AtomicFile : IDisposable
{
    private readonly string _target;
    private readonly string _temporary;
    private FileStream? _stream;
    private bool _committed;

    private AtomicFile(string target, string temporary, FileStream stream)
    {
        _target = target;
        _temporary = temporary;
        _stream = stream;
    }

    /// <summary>The stream to write the content to.</summary>
    public FileStream Stream => _stream ?? throw new ObjectDisposedException(nameof(AtomicFile));

    /// <summary>The temporary file's path, while it exists.</summary>
    public string TemporaryPath => _temporary;

    /// <summary>Creates the temporary file beside <paramref name="path"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The target's directory does not exist.</exception>
    /// <exception cref="IOException">The target is a directory, or the temporary file cannot be created.</exception>
    public static AtomicFile Create(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string target = Path.GetFullPath(path);
        if (Directory.Exists(target))
        {
            throw new IOException($"cannot write {path}: it is a directory");
        }

        string directory = Path.GetDirectoryName(target) ?? throw new IOException($"cannot write {path}: it has no directory");
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"cannot write {path}: the directory {directory} does not exist");
        }

        // Hidden and uniquely named, so concurrent writers never share a temporary file and a crash leaves an obvious leftover.
        string temporary = Path.Combine(directory, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);
        return new AtomicFile(target, temporary, stream);
    }

    /// <summary>Flushes the content to disk and renames the temporary file over the target.</summary>
    public void Commit()
    {
        FileStream stream = Stream;
        stream.Flush(flushToDisk: true);
        stream.Dispose();
        _stream = null;
        File.Move(_temporary, _target, overwrite: true);
        _committed = true;
    }

    /// <summary>Deletes the temporary file unless <see cref="Commit"/> succeeded.</summary>
    public void Dispose()
    {
        if (_committed)
        {
            return;
        }

        try
        {
            _stream?.Dispose();
        }
        catch (IOException)
        {
            // Flushing buffered bytes of a file being discarded may fail (disk full); the file is deleted anyway.
        }

        _stream = null;
        try
        {
            File.Delete(_temporary);
        }
        catch (IOException)
        {
            // Cleanup must not hide the exception that brought us here; a leftover .tmp is the lesser harm.
        }
        catch (UnauthorizedAccessException)
        {
        }

        _committed = true;
    }
}
