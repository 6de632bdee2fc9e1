using LaxScan.Numerics;

namespace LaxScan;

/// <summary>
/// <c>x @ W</c> bound to one matrix, for a loop that multiplies by the same W many times: the matrix is checked and
/// flushed once, nothing is allocated per call, and large matrices split their outputs across threads. Every
/// output is computed by the same per-lane FMA sequence whatever the split, so the thread count never changes a bit.
/// </summary>
public sealed class GemvOperator : IDisposable
{
    // Outputs are split between threads in whole blocks of the widest kernel (8 accumulators of 16 lanes).
    private const int SplitAlignment = 128;

    // Each thread's share is cut in this many chunks, so that an idle thread can take over a busy one's.
    private const int ChunksPerThread = 2;

    // Below this many multiply-adds per call, waking a second thread costs more than it saves.
    private const long ParallelThreshold = 1L << 18;

    private readonly float[] _w;
    private readonly bool _wNeedsFlush;
    private float[] _xFlushed = [];
    private readonly SimdTier _tier;
    private readonly int[] _splits;
    private readonly StepWorkers? _workers;

    // The current call's operands, read by the workers between the start and end of a call.
    private float[] _x = [];
    private float[]? _y;
    private bool _flush;
    private bool _tanh;
    private int _batch = 1;

    /// <summary>Binds a K x N matrix.</summary>
    /// <param name="w">The matrix, shape (K, N); its buffer is read, not copied, unless it holds subnormals or tiny values.</param>
    /// <param name="threads">How many threads to use: 0 picks by size (up to the processor count), 1 runs on the caller's thread only.</param>
    /// <param name="tier">The widest SIMD tier to use (default: the machine's).</param>
    /// <exception cref="ArgumentException"><paramref name="w"/> is not rank 2, or <paramref name="threads"/> is negative.</exception>
    public GemvOperator(NDArray<float> w, int threads = 0, SimdTier? tier = null)
    {
        ArgumentNullException.ThrowIfNull(w);
        if (w.Shape.Rank != 2)
        {
            ThrowHelper.ThrowArgument($"a GEMV matrix must have rank 2, but W has shape {w.Shape}", nameof(w));
        }

        if (threads < 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange($"threads must be >= 0 (0 = automatic), but was given {threads}", nameof(threads));
        }

        Rows = w.Shape[0];
        Columns = w.Shape[1];
        _tier = tier ?? SimdTiers.Default;
        _wNeedsFlush = Gemv.NeedsFlush(w.Span);
        if (_wNeedsFlush)
        {
            _w = w.Span.ToArray();
            Gemv.FlushAll(_w);
        }
        else
        {
            _w = w.Data;
        }

        int blocks = (Columns + SplitAlignment - 1) / SplitAlignment;
        int parts = threads switch
        {
            1 => 1,
            0 when (long)Rows * Columns < ParallelThreshold => 1,
            0 => Environment.ProcessorCount,
            _ => threads,
        };
        parts = Math.Max(1, Math.Min(parts, blocks));

        // More chunks than threads, so the work spreads over whichever threads are running at the moment. The last
        // split is Columns itself, since blocks * SplitAlignment >= Columns.
        int chunks = Math.Min(blocks, parts == 1 ? 1 : ChunksPerThread * parts);
        _splits = new int[chunks + 1];
        for (int c = 0; c <= chunks; c++)
        {
            _splits[c] = Math.Min(Columns, blocks * c / chunks * SplitAlignment);
        }

        Threads = parts;
        if (parts > 1)
        {
            _workers = new StepWorkers(parts, chunks, RunPart);
        }
    }

    /// <summary>K, the length of x.</summary>
    public int Rows { get; }

    /// <summary>N, the length of y.</summary>
    public int Columns { get; }

    /// <summary>How many threads a call may use.</summary>
    public int Threads { get; }

    /// <summary><c>y = x @ W</c>.</summary>
    /// <exception cref="ArgumentException">The lengths do not match the matrix.</exception>
    public void Multiply(float[] x, float[] y) => Run(x, y, 1, tanh: false);

    /// <summary><c>y = tanh(x @ W)</c> with XLA's tanh, the step of the LaxScan recurrence.</summary>
    /// <exception cref="ArgumentException">The lengths do not match the matrix.</exception>
    public void MultiplyTanh(float[] x, float[] y) => Run(x, y, 1, tanh: true);

    /// <summary>
    /// <c>Y = tanh(X @ W)</c> for <paramref name="batch"/> rows at once; row b gets the bits
    /// <see cref="MultiplyTanh(float[], float[])"/> gives for row b alone.
    /// </summary>
    /// <param name="x">B rows of K, row-major.</param>
    /// <param name="y">B rows of N, row-major.</param>
    /// <param name="batch">B, at least 1.</param>
    /// <exception cref="ArgumentException">The lengths do not match the matrix and batch.</exception>
    public void MultiplyTanh(float[] x, float[] y, int batch) => Run(x, y, batch, tanh: true);

    private void Run(float[] x, float[] y, int batch, bool tanh)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (batch < 1 || x.Length != (long)batch * Rows || y.Length != (long)batch * Columns)
        {
            ThrowHelper.ThrowArgument($"a {Rows}x{Columns} GEMV of {batch} rows needs x of length {(long)batch * Rows} and y of length {(long)batch * Columns}, but got {x.Length} and {y.Length}", nameof(x));
        }

        if (ReferenceEquals(x, y))
        {
            ThrowHelper.ThrowArgument("x and y must be different buffers: every output reads all of x", nameof(y));
        }

        _flush = _wNeedsFlush || Gemv.NeedsFlush(x);
        if (_flush)
        {
            if (_xFlushed.Length != x.Length)
            {
                _xFlushed = new float[x.Length];
            }

            x.CopyTo(_xFlushed, 0);
            Gemv.FlushAll(_xFlushed);
            _x = _xFlushed;
        }
        else
        {
            _x = x;
        }

        _y = y;
        _tanh = tanh;
        _batch = batch;
        if (_workers is null)
        {
            RunPart(0);
        }
        else
        {
            _workers.Run();
        }

        _y = null;
    }

    private void RunPart(int part)
    {
        int start = _splits[part];
        int end = _splits[part + 1];
        Span<float> y = _y;
        if (_batch > 1)
        {
            if (_flush)
            {
                Gemv.BatchRange<Yes>(_x, _w, y, _batch, Rows, Columns, start, end, _tier);
            }
            else
            {
                Gemv.BatchRange<No>(_x, _w, y, _batch, Rows, Columns, start, end, _tier);
            }
        }
        else if (_flush)
        {
            Gemv.Range<Yes>(_x, _w, Columns, y, start, end, _tier);
        }
        else
        {
            Gemv.Range<No>(_x, _w, Columns, y, start, end, _tier);
        }

        if (_tanh)
        {
            for (int b = 0; b < _batch; b++)
            {
                Span<float> slice = y.Slice((b * Columns) + start, end - start);
                XlaMath.Tanh(slice, slice, _tier);
            }
        }
    }

    /// <summary>Stops the worker threads.</summary>
    public void Dispose() => _workers?.Dispose();
}
