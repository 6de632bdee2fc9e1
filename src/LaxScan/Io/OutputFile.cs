namespace LaxScan.Io;

/// <summary>
/// The one way LaxScan writes a file, by the rules of <see cref="OutputTarget"/>: a regular file (or a new one)
/// appears under its name complete or not at all, while a FIFO or a device is written in place and never replaced.
/// </summary>
/// <remarks>
/// For a regular target the bytes go to a temporary file beside the file a symbolic link chain ends at; it is
/// flushed to disk and renamed over that file on <see cref="Commit"/>. A rename within one directory is atomic on
/// POSIX and NTFS, so a reader never sees half a file, and a failure or cancellation (<see cref="Dispose"/> without
/// <see cref="Commit"/>) deletes the temporary file and leaves the old file, or nothing, in place. A FIFO or device
/// receives the bytes as they are written (as a shell's <c>&gt;</c> would give them), so an interrupted write there
/// has sent part of the content: that cannot be taken back.
/// </remarks>
internal sealed class OutputFile : IDisposable
{
    private readonly string? _temporary;
    private readonly string? _target;
    private readonly bool _leaveOpen;
    private Stream? _stream;
    private bool _finished;

    private OutputFile(Stream stream, string? temporary, string? target, bool leaveOpen)
    {
        _stream = stream;
        _temporary = temporary;
        _target = target;
        _leaveOpen = leaveOpen;
    }

    /// <summary>The stream to write the content to.</summary>
    /// <exception cref="ObjectDisposedException">The file was committed or disposed.</exception>
    public Stream Stream => _stream ?? throw new ObjectDisposedException(nameof(OutputFile));

    /// <summary>Whether the content goes straight to its target (a FIFO, a device or a given stream) rather than to a temporary file.</summary>
    public bool IsInPlace => _temporary is null;

    /// <summary>Opens <paramref name="path"/> for writing by the rules of <see cref="OutputTarget"/>.</summary>
    /// <param name="path">The file to create or replace, a symbolic link to one, or a FIFO or device to write to.</param>
    /// <exception cref="DirectoryNotFoundException">The target's directory does not exist.</exception>
    /// <exception cref="IOException">The target is a directory or a socket, or cannot be opened.</exception>
    /// <exception cref="UnauthorizedAccessException">No permission to create the temporary file, or to open the FIFO or device.</exception>
    public static OutputFile Create(string path) => Create(OutputTarget.Resolve(path), CancellationToken.None);

    /// <summary>
    /// Opens <paramref name="path"/> for writing by the rules of <see cref="OutputTarget"/>; a FIFO is opened once a
    /// reader has it open, and <paramref name="cancellationToken"/> stops that wait.
    /// </summary>
    /// <param name="path">The file to create or replace, a symbolic link to one, or a FIFO or device to write to.</param>
    /// <param name="cancellationToken">Stops the wait for a FIFO's reader (a FIFO nobody reads would otherwise block forever).</param>
    /// <inheritdoc cref="Create(string)" path="/exception"/>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static OutputFile Create(string path, CancellationToken cancellationToken) => Create(OutputTarget.Resolve(path), cancellationToken);

    /// <summary>Opens an already resolved target for writing.</summary>
    /// <param name="target">The target, from <see cref="OutputTarget.Resolve(string)"/>.</param>
    /// <inheritdoc cref="Create(string)" path="/exception"/>
    public static OutputFile Create(OutputTarget target) => Create(target, CancellationToken.None);

    /// <summary>Opens an already resolved target for writing; <paramref name="cancellationToken"/> stops the wait for a FIFO's reader.</summary>
    /// <param name="target">The target, from <see cref="OutputTarget.Resolve(string)"/>.</param>
    /// <param name="cancellationToken">Stops the wait for a FIFO's reader.</param>
    /// <inheritdoc cref="Create(string)" path="/exception"/>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static OutputFile Create(OutputTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        cancellationToken.ThrowIfCancellationRequested();
        if (target.Problem is { } problem)
        {
            string message = $"cannot write {target.Path}: {problem}";
            throw target.Kind == FileKind.Missing ? new DirectoryNotFoundException(message) : new IOException(message);
        }

        if (target.IsWrittenInPlace)
        {
            // Opened through the path as given, which the kernel resolves (/dev/stdout's link ends at no real path).
            // No truncation (a device has no length) and no exclusive lock (a FIFO has a reader at the other end).
            // A FIFO's open waits for its reader, which must not make Ctrl-C wait with it (FifoOpen).
            Stream device = target.Kind == FileKind.Fifo
                ? FifoOpen.OpenForWriting(target.Path, 1 << 16, cancellationToken)
                : new FileStream(target.Path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 1 << 16);
            return new OutputFile(device, temporary: null, target: null, leaveOpen: false);
        }

        string temporary = target.TemporaryPath();
        try
        {
            var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);
            return new OutputFile(stream, temporary, target.FinalPath, leaveOpen: false);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new UnauthorizedAccessException($"cannot write {target.Path}: no permission to create files in {target.Directory}", e);
        }
    }

    /// <summary>
    /// Writes into a stream that is already open, such as standard output: in place, as to a FIFO.
    /// <see cref="Commit"/> flushes it; neither it nor <see cref="Dispose"/> closes it unless <paramref name="leaveOpen"/> is false.
    /// </summary>
    /// <param name="stream">A writable stream.</param>
    /// <param name="leaveOpen">Whether the stream stays open after this file is committed or disposed.</param>
    /// <returns>The file.</returns>
    public static OutputFile InPlace(Stream stream, bool leaveOpen = true)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return new OutputFile(stream, temporary: null, target: null, leaveOpen);
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> by these rules, in chunks between which <paramref name="cancellationToken"/> is checked.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="bytes">The whole content.</param>
    /// <param name="cancellationToken">Cancelling leaves a regular target untouched.</param>
    /// <inheritdoc cref="Create(string)" path="/exception"/>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes, CancellationToken cancellationToken = default)
    {
        using OutputFile file = Create(path, cancellationToken);
        file.Write(bytes, cancellationToken);
        file.Commit();
    }

    /// <summary>Writes <paramref name="bytes"/> to <see cref="Stream"/> in 1 MiB chunks, checking <paramref name="cancellationToken"/> before each.</summary>
    /// <param name="bytes">The content, or the next part of it.</param>
    /// <param name="cancellationToken">Cancelling stops between chunks; disposing without <see cref="Commit"/> then discards a regular target's temporary file.</param>
    /// <exception cref="ObjectDisposedException">The file was committed or disposed.</exception>
    /// <exception cref="IOException">Writing fails.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public void Write(ReadOnlySpan<byte> bytes, CancellationToken cancellationToken = default) =>
        StreamIo.Write(Stream, bytes, cancellationToken);

    /// <summary>Finishes the file: for a regular target, flushes it to disk and renames it over the target; in place, flushes the stream.</summary>
    /// <exception cref="ObjectDisposedException">The file was committed or disposed.</exception>
    /// <exception cref="IOException">Flushing or renaming fails; the temporary file is then deleted by <see cref="Dispose"/>.</exception>
    public void Commit()
    {
        Stream stream = Stream;
        if (_temporary is null)
        {
            stream.Flush();
            Close();
            _finished = true;
            return;
        }

        ((FileStream)stream).Flush(flushToDisk: true);
        Close();
        File.Move(_temporary, _target!, overwrite: true);
        _finished = true;
    }

    /// <summary>Deletes the temporary file unless <see cref="Commit"/> succeeded; closes what this file opened.</summary>
    public void Dispose()
    {
        try
        {
            Close();
        }
        catch (IOException)
        {
            // Flushing buffered bytes of a file being discarded may fail (disk full, a FIFO's reader gone); it goes anyway.
        }

        if (_finished || _temporary is null)
        {
            _finished = true;
            return;
        }

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

        _finished = true;
    }

    private void Close()
    {
        Stream? stream = _stream;
        _stream = null;
        if (stream is not null && !_leaveOpen)
        {
            stream.Dispose();
        }
    }
}
