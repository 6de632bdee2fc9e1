namespace LaxScan.Io;

/// <summary>
/// Writes a .npy file row by row, for arrays produced step by step and possibly larger than memory (such as the hidden
/// states of every scan step, shape <c>(T + 1, H)</c>). The shape is fixed up front, so the header is final from the
/// start; the file appears under its name only when <see cref="Complete"/> has checked that every row arrived.
/// </summary>
/// <remarks>
/// The file is written by <see cref="OutputFile"/>'s rules: rows go to a temporary file beside the target (the file a
/// symbolic link ends at), and disposing without <see cref="Complete"/> (an exception, a cancellation) deletes it, so
/// the target is never partial: use the writer in a <c>using</c> block. A FIFO or a device, or a stream given to
/// <see cref="NpyStreamWriter{T}(Stream, Shape)"/>, receives the rows in place as they are written.
/// </remarks>
/// <typeparam name="T"><see cref="float"/>, <see cref="byte"/>, <see cref="ushort"/>, <see cref="uint"/> or <see cref="ulong"/>.</typeparam>
public sealed class NpyStreamWriter<T> : IDisposable where T : unmanaged
{
    private OutputFile? _file;

    /// <summary>Starts writing a .npy file of the given shape; rows are indexed by its first axis.</summary>
    /// <param name="path">The file to create or replace once complete (or a FIFO or device to write to in place).</param>
    /// <param name="shape">The shape of the whole array, of rank 1 or more; a row is one index along the first axis.</param>
    /// <exception cref="ArgumentException">The shape has rank 0, or a row holds more than <see cref="int.MaxValue"/> elements.</exception>
    /// <exception cref="IOException">The temporary file cannot be created (<see cref="DirectoryNotFoundException"/> if the directory does not exist), or the target is a directory or a socket.</exception>
    /// <exception cref="UnauthorizedAccessException">The directory may not be written.</exception>
    public NpyStreamWriter(string path, Shape shape)
        : this(shape, 1, () => OutputFile.Create(path))
    {
    }

    /// <summary>
    /// Starts writing a .npy file whose rows are indexed by its first <paramref name="rowAxes"/> axes together, in C
    /// order: for shape (2, 5, 3, 4) and two row axes there are 10 rows of 12 elements.
    /// </summary>
    /// <param name="path">The file to create or replace once complete (or a FIFO or device to write to in place).</param>
    /// <param name="shape">The shape of the whole array.</param>
    /// <param name="rowAxes">How many leading axes index the rows, from 1 to the rank.</param>
    /// <exception cref="ArgumentException">The shape has rank 0, <paramref name="rowAxes"/> is out of range, or the rows or a row hold more than <see cref="int.MaxValue"/> elements.</exception>
    /// <exception cref="IOException">The temporary file cannot be created, or the target is a directory or a socket.</exception>
    /// <exception cref="UnauthorizedAccessException">The directory may not be written.</exception>
    public NpyStreamWriter(string path, Shape shape, int rowAxes)
        : this(shape, rowAxes, () => OutputFile.Create(path))
    {
    }

    /// <summary>
    /// Starts writing a .npy file as <see cref="NpyStreamWriter{T}(string, Shape, int)"/> does; a FIFO is opened once
    /// a reader has it open, and <paramref name="cancellationToken"/> stops that wait.
    /// </summary>
    /// <param name="path">The file to create or replace once complete (or a FIFO or device to write to in place).</param>
    /// <param name="shape">The shape of the whole array.</param>
    /// <param name="rowAxes">How many leading axes index the rows, from 1 to the rank.</param>
    /// <param name="cancellationToken">Stops the wait for a FIFO's reader.</param>
    /// <exception cref="ArgumentException">The shape has rank 0, <paramref name="rowAxes"/> is out of range, or the rows or a row hold more than <see cref="int.MaxValue"/> elements.</exception>
    /// <exception cref="IOException">The temporary file cannot be created, or the target is a directory or a socket.</exception>
    /// <exception cref="UnauthorizedAccessException">The directory may not be written.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled before the file was open.</exception>
    public NpyStreamWriter(string path, Shape shape, int rowAxes, CancellationToken cancellationToken)
        : this(shape, rowAxes, () => OutputFile.Create(path, cancellationToken))
    {
    }

    /// <summary>Starts writing a .npy array of the given shape into an open stream (standard output, say), in place.</summary>
    /// <param name="stream">A writable stream; <see cref="Complete"/> flushes it, and neither it nor <see cref="Dispose"/> closes it.</param>
    /// <param name="shape">The shape of the whole array, of rank 1 or more; a row is one index along the first axis.</param>
    /// <exception cref="ArgumentException">The shape has rank 0, or a row holds more than <see cref="int.MaxValue"/> elements.</exception>
    /// <exception cref="IOException">Writing the header fails.</exception>
    public NpyStreamWriter(Stream stream, Shape shape)
        : this(stream, shape, 1)
    {
    }

    /// <summary>Starts writing a .npy array into an open stream, its rows indexed by the first <paramref name="rowAxes"/> axes.</summary>
    /// <param name="stream">A writable stream; <see cref="Complete"/> flushes it, and neither it nor <see cref="Dispose"/> closes it.</param>
    /// <param name="shape">The shape of the whole array.</param>
    /// <param name="rowAxes">How many leading axes index the rows, from 1 to the rank.</param>
    /// <exception cref="ArgumentException">The shape has rank 0, <paramref name="rowAxes"/> is out of range, or the rows or a row hold more than <see cref="int.MaxValue"/> elements.</exception>
    /// <exception cref="IOException">Writing the header fails.</exception>
    public NpyStreamWriter(Stream stream, Shape shape, int rowAxes)
        : this(shape, rowAxes, () => OutputFile.InPlace(stream ?? throw new ArgumentNullException(nameof(stream))))
    {
    }

    private NpyStreamWriter(Shape shape, int rowAxes, Func<OutputFile> open)
    {
        ArgumentNullException.ThrowIfNull(shape);
        NpyReader.EnsureLittleEndianHost();
        DType = DTypes.Of<T>();
        if (shape.Rank == 0)
        {
            ThrowHelper.ThrowArgument($"a streamed .npy file is written row by row along its first axis, so its shape needs rank >= 1, not {shape}", nameof(shape));
        }

        if (rowAxes < 1 || rowAxes > shape.Rank)
        {
            ThrowHelper.ThrowArgumentOutOfRange($"the rows of an array of shape {shape} are indexed by 1 to {shape.Rank} leading axes, not {rowAxes}", nameof(rowAxes));
        }

        long rowCount = 1;
        foreach (int d in shape.Dimensions[..rowAxes])
        {
            rowCount *= d;
            if (rowCount > int.MaxValue)
            {
                ThrowHelper.ThrowArgument($"an array of shape {shape} has more than {int.MaxValue} rows over its first {rowAxes} axes", nameof(shape));
            }
        }

        long rowLength = 1;
        foreach (int d in shape.Dimensions[rowAxes..])
        {
            // Multiplied here rather than as Size / shape[0], which is undefined when there are no rows.
            rowLength *= d;
            if (rowLength > int.MaxValue)
            {
                ThrowHelper.ThrowArgument($"a row of an array of shape {shape} holds more than {int.MaxValue} elements, the most one span can pass", nameof(shape));
            }
        }

        Shape = shape;
        RowCount = (int)rowCount;
        RowLength = (int)rowLength;
        _file = open();
        try
        {
            _file.Stream.Write(NpyHeader.Format(DType, shape));
        }
        catch
        {
            _file.Dispose();
            throw;
        }
    }

    /// <summary>The element type.</summary>
    public DType DType { get; }

    /// <summary>The shape of the whole array.</summary>
    public Shape Shape { get; }

    /// <summary>The number of rows the array holds: its first dimension (or the product of its row axes).</summary>
    public int RowCount { get; }

    /// <summary>The number of elements in one row: the product of the dimensions after the first.</summary>
    public int RowLength { get; }

    /// <summary>The number of rows written so far.</summary>
    public int RowsWritten { get; private set; }

    /// <summary>Appends the next row.</summary>
    /// <param name="row">The row's <see cref="RowLength"/> elements in C order.</param>
    /// <param name="cancellationToken">Checked before the row is written.</param>
    /// <exception cref="ArgumentException">The row does not hold <see cref="RowLength"/> elements.</exception>
    /// <exception cref="InvalidOperationException">All <see cref="RowCount"/> rows were already written.</exception>
    /// <exception cref="ObjectDisposedException">The writer was completed or disposed.</exception>
    /// <exception cref="IOException">Writing fails.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public void WriteRow(ReadOnlySpan<T> row, CancellationToken cancellationToken = default)
    {
        OutputFile file = Open();
        if (row.Length != RowLength)
        {
            ThrowHelper.ThrowArgument($"a row of an array of shape {Shape} has {RowLength} elements, not {row.Length}", nameof(row));
        }

        if (RowsWritten == RowCount)
        {
            throw new InvalidOperationException($"all {RowCount} rows of the array of shape {Shape} are already written");
        }

        StreamIo.Write(file.Stream, row, cancellationToken);
        RowsWritten++;
    }

    /// <summary>Checks that every row was written, then flushes the file and moves it under its name (in place: flushes it).</summary>
    /// <exception cref="InvalidOperationException">Fewer than <see cref="RowCount"/> rows were written; the file is not created, and disposing the writer deletes the temporary file.</exception>
    /// <exception cref="ObjectDisposedException">The writer was completed or disposed.</exception>
    /// <exception cref="IOException">Flushing or renaming fails.</exception>
    public void Complete()
    {
        OutputFile file = Open();
        if (RowsWritten != RowCount)
        {
            throw new InvalidOperationException($"only {RowsWritten} of the {RowCount} rows of the array of shape {Shape} were written; a .npy file cannot be completed with fewer rows than its header announces");
        }

        file.Commit();
        _file = null;
    }

    /// <summary>Deletes the temporary file unless <see cref="Complete"/> succeeded.</summary>
    public void Dispose()
    {
        _file?.Dispose();
        _file = null;
    }

    private OutputFile Open()
    {
        ObjectDisposedException.ThrowIf(_file is null, this);
        return _file;
    }
}
