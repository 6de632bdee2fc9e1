using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LaxScan.Numerics;
using LaxScan.Threading;

namespace LaxScan.Kernels;

/// <summary>
/// <c>x @ W</c> bound to one matrix, for a loop that multiplies by the same W many times: the matrix is checked,
/// flushed and laid out in cache-friendly panels once, nothing is allocated per call, and large products split their
/// outputs across threads that each own a fixed share of W. Every output is computed by the same FMA sequence
/// whatever the layout, thread count or SIMD width, so none of them changes a bit.
/// </summary>
/// <remarks>
/// <para>
/// Thread safety: an operator serves one call at a time. A call that enters while another call on the same operator
/// is running on another thread throws <see cref="InvalidOperationException"/> (it never mixes the two or hangs);
/// give each calling thread its own operator (several operators may share one W array). Disposing an operator while
/// a call is running is not allowed; a call after <see cref="Dispose"/> throws <see cref="ObjectDisposedException"/>.
/// </para>
/// <para>
/// Buffers: x, y and the addend are spans (arrays, slices of arrays, stack or native memory); y must not overlap x or
/// the addend, since every output reads all of x. The spans are pinned for the duration of a call only.
/// </para>
/// <para>
/// Threads: <c>threads: 0</c> uses one thread below about 2^16 multiply-adds per call, where handing work to a second
/// core costs more than it saves; above, it starts a team of every processor and measures as it goes whether the team
/// or the calling thread alone is faster (a busy machine can make one thread twice as fast), re-measuring every
/// 10 ms. An explicit count is used as given, capped at the processor count and at the number of 128-column panels
/// (a batch may split its rows instead). Workers are pinned one per CPU where the OS allows it, spin briefly between
/// calls and then block.
/// </para>
/// </remarks>
public sealed unsafe class GemvOperator : IDisposable, IStepJob
{
    // At and above this many multiply-adds per call, automatic threading uses every core: with W in panels owned per
    // core, a second core pays from H = 256 on (the hand-off costs about 0.1-0.2 us; a 256 x 256 step about 1.3 us).
    internal const long ParallelThreshold = 1L << 16;

    // W is copied into panels up to this size; a larger W (DRAM-bound, where the layout gains little) is read in place.
    internal const long PanelLimitBytes = 256L << 20;

    // A batch step is cut into blocks of about this many multiply-adds, with a cancellation check between blocks.
    private const long BatchBlockMultiplyAdds = 1L << 24;

    private readonly float[] _w;
    private readonly GemvPanels? _panels;
    private readonly bool _wNeedsFlush;
    private readonly SimdTier _tier;
    private readonly StepTeam? _team;
    private readonly bool _ownsTeam;
    private readonly int _parts;
    private readonly int _units;
    private readonly int[] _bounds;
    private readonly bool[] _partTiny;
    private readonly bool _adaptive;
    private ThreadChoice _choice;
    private float[] _xFlushed = [];
    private float[] _bFlushed = [];
    private int _busy;
    private bool _disposed;

    // The current call, read by the parts between the start and end of a call: the caller's spans, pinned by Run for
    // exactly that long (a span cannot be a field, and the team's threads read them).
    private float* _x;
    private float* _y;
    private float* _b;
    private int _bStride;
    private int _r0;
    private int _rows;
    private bool _splitRows;
    private Func<GemvOperator, int, int, int, int, bool>? _compute;

    /// <summary>Binds a K x N matrix.</summary>
    /// <param name="w">The matrix, shape (K, N). Copied once into panels (up to 256 MiB; a larger one is read in place and must not change while the operator is used).</param>
    /// <param name="threads">How many threads to use: 0 picks by size (up to the processor count), 1 runs on the caller's thread only; capped at the processor count.</param>
    /// <exception cref="ArgumentException"><paramref name="w"/> is not rank 2.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is negative.</exception>
    /// <exception cref="InsufficientMemoryException">The panel copy of W cannot be allocated.</exception>
    public GemvOperator(NDArray<float> w, int threads = 0)
        : this(Check(w), threads, tier: null, team: null, panels: true, batchHint: 1)
    {
    }

    /// <summary>The operator capped at a SIMD tier, so tests can compare every width on one machine.</summary>
    /// <param name="w">The matrix, rank 2.</param>
    /// <param name="threads">As in the public constructor.</param>
    /// <param name="tier">The widest SIMD tier to use (null: the machine's).</param>
    internal GemvOperator(NDArray<float> w, int threads, SimdTier? tier)
        : this(Check(w), threads, tier, team: null, panels: true, batchHint: 1)
    {
    }

    /// <summary>The operator over W, optionally using a team its caller owns and shares between operators.</summary>
    /// <param name="w">The matrix, rank 2.</param>
    /// <param name="threads">As in the public constructor.</param>
    /// <param name="tier">The widest SIMD tier.</param>
    /// <param name="team">A team to use instead of starting one (when more than one thread pays and the team has as many threads as wanted or more); not disposed with the operator.</param>
    /// <param name="panels">Whether to lay W out in panels (false for an operator used once, where the copy does not pay).</param>
    /// <param name="batchHint">The rows a typical call will have, for the automatic thread choice.</param>
    internal GemvOperator(NDArray<float> w, int threads, SimdTier? tier, StepTeam? team, bool panels, int batchHint)
    {
        if (threads < 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange($"threads must be >= 0 (0 = automatic), but was given {threads}", nameof(threads));
        }

        Rows = w.Shape[0];
        Columns = w.Shape[1];
        _tier = tier ?? SimdTiers.Default;
        _wNeedsFlush = Gemv.NeedsFlush(w.Span);
        float[] source = w.Data;
        if (_wNeedsFlush)
        {
            source = w.Span.ToArray();
            Gemv.FlushAll(source);
        }

        if (panels && (long)Rows * Columns * sizeof(float) <= PanelLimitBytes && Columns > 0)
        {
            _panels = new GemvPanels(source, Rows, Columns);
            _w = [];
        }
        else
        {
            _w = source;
        }

        _units = (Columns + GemvPanels.Width - 1) / GemvPanels.Width;
        int wanted = PickThreads(threads, Rows, Columns, _units, batchHint);
        if (wanted > 1)
        {
            // A shared team may be larger than this product can split into (a run's team serves all its products):
            // the parts beyond the panels are empty, and the bits are the same.
            if (team is not null && team.Threads >= wanted)
            {
                _team = team;
            }
            else
            {
                _team = new StepTeam(wanted);
                _ownsTeam = true;
            }
        }

        Threads = _team?.Threads ?? 1;

        // Automatic threads measure, call by call, whether the team or the caller alone is faster right now.
        _adaptive = threads == 0 && _team is not null;
        _parts = _team?.Parts ?? 1;
        _bounds = new int[_parts + 1];
        for (int p = 0; p <= _parts; p++)
        {
            _bounds[p] = (int)((long)_units * p / _parts);
        }

        _partTiny = new bool[_parts];
    }

    /// <summary>K, the length of x.</summary>
    public int Rows { get; }

    /// <summary>N, the length of y.</summary>
    public int Columns { get; }

    /// <summary>How many threads a call may use.</summary>
    public int Threads { get; }

    /// <summary>Whether W was laid out in 64-byte-aligned panels (false for a W over 256 MiB, read in place).</summary>
    internal bool UsesPanels => _panels is not null;

    /// <summary>Whether the panel copy starts on a 64-byte boundary.</summary>
    internal bool IsAligned => _panels?.IsAligned ?? false;

    /// <summary>The team, for a test that checks a worker's pinning.</summary>
    internal StepTeam? Team => _team;

    /// <summary>Calls (or batch blocks) run on the team, and on the caller alone, under automatic threads.</summary>
    internal (long Team, long Solo) Placement => _adaptive ? (_choice.TeamCalls, _choice.SoloCalls) : (0, 0);

    /// <summary>
    /// The thread count for <paramref name="threads"/> (0: automatic) over a K x N matrix: never more than the
    /// processor count, nor more than the panels a single vector can be cut into (a batch can split its rows).
    /// </summary>
    internal static int PickThreads(int threads, int k, int n, int units, int batchHint)
    {
        int cap = Math.Min(Environment.ProcessorCount, batchHint > 1 ? Environment.ProcessorCount : units);
        int wanted = threads switch
        {
            1 => 1,
            0 => (long)k * n * Math.Max(1, batchHint) >= ParallelThreshold ? Environment.ProcessorCount : 1,
            _ => threads,
        };
        return Math.Max(1, Math.Min(wanted, cap));
    }

    /// <summary><c>y = x @ W</c>.</summary>
    /// <param name="x">K values.</param>
    /// <param name="y">N values; must not overlap x.</param>
    /// <exception cref="ArgumentException">The lengths do not match the matrix, or x and y overlap.</exception>
    /// <exception cref="InvalidOperationException">Another call on this operator is running on another thread.</exception>
    /// <exception cref="ObjectDisposedException">The operator was disposed.</exception>
    public void Multiply(ReadOnlySpan<float> x, Span<float> y) => Run<GemvEpilogues.Identity>(x, y, default, 1, xClean: false, default);

    /// <summary><c>y = tanh(x @ W)</c> with XLA's tanh, the step of the LaxScan recurrence.</summary>
    /// <param name="x">K values.</param>
    /// <param name="y">N values; must not overlap x.</param>
    /// <exception cref="ArgumentException">The lengths do not match the matrix, or x and y overlap.</exception>
    /// <exception cref="InvalidOperationException">Another call on this operator is running on another thread.</exception>
    /// <exception cref="ObjectDisposedException">The operator was disposed.</exception>
    public void MultiplyTanh(ReadOnlySpan<float> x, Span<float> y) => Run<GemvEpilogues.Tanh>(x, y, default, 1, xClean: false, default);

    /// <summary>
    /// <c>Y = tanh(X @ W)</c> for <paramref name="batch"/> rows at once; row b gets the bits
    /// <see cref="MultiplyTanh(ReadOnlySpan{float}, Span{float})"/> gives for row b alone.
    /// </summary>
    /// <param name="x">B rows of K, row-major.</param>
    /// <param name="y">B rows of N, row-major; must not overlap x.</param>
    /// <param name="batch">B, at least 1.</param>
    /// <exception cref="ArgumentException">The lengths do not match the matrix and batch, or x and y overlap.</exception>
    /// <exception cref="InvalidOperationException">Another call on this operator is running on another thread.</exception>
    /// <exception cref="ObjectDisposedException">The operator was disposed.</exception>
    public void MultiplyTanh(ReadOnlySpan<float> x, Span<float> y, int batch) => Run<GemvEpilogues.Tanh>(x, y, default, batch, xClean: false, default);

    /// <summary>
    /// <c>Y = epilogue(X @ W)</c> for <paramref name="batch"/> rows: row b has the bits of the scalar reference
    /// (each output's FMA chain in XLA's order, then the epilogue) for row b, whatever the threads, layout or SIMD width.
    /// </summary>
    /// <typeparam name="TEpilogue">One of <see cref="GemvEpilogues"/>: Identity, Tanh, Addend (XLA's fused addend), AddendTanh, AddAfter, AddAfterTanh.</typeparam>
    /// <param name="x">B rows of K, row-major.</param>
    /// <param name="y">B rows of N, row-major; must not overlap x or the addend.</param>
    /// <param name="addend">b for the epilogues that take one: N values shared by every row, or B x N; empty otherwise.</param>
    /// <param name="batch">B, at least 1.</param>
    /// <param name="cancellationToken">Checked between blocks of rows of a large batch.</param>
    /// <exception cref="ArgumentException">The lengths do not match, or y overlaps x or the addend.</exception>
    /// <exception cref="InvalidOperationException">Another call on this operator is running on another thread.</exception>
    /// <exception cref="ObjectDisposedException">The operator was disposed.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled; y is then partly written.</exception>
    public void Multiply<TEpilogue>(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> addend = default, int batch = 1, CancellationToken cancellationToken = default)
        where TEpilogue : struct, IGemvEpilogue =>
        Run<TEpilogue>(x, y, addend, batch, xClean: false, cancellationToken);

    /// <summary>
    /// One call. <paramref name="xClean"/> says the caller knows x holds no tiny value (it is the y of a call that
    /// returned false), which skips scanning it.
    /// </summary>
    /// <returns>Whether y holds a tiny value (a nonzero below 2^-40), so that feeding it back as x needs a flush pass.</returns>
    internal bool Run<TE>(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> addend, int batch, bool xClean, CancellationToken cancel)
        where TE : struct, IGemvEpilogue
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancel.ThrowIfCancellationRequested();
        if (batch < 1 || x.Length != (long)batch * Rows || y.Length != (long)batch * Columns)
        {
            ThrowHelper.ThrowArgument($"a {Rows}x{Columns} GEMV of {batch} rows needs x of length {(long)batch * Rows} and y of length {(long)batch * Columns}, but got {x.Length} and {y.Length}", nameof(x));
        }

        Gemv.CheckShapes<TE>(Rows, Columns, (long)Rows * Columns, addend.Length, batch);
        if (x.Overlaps(y))
        {
            ThrowHelper.ThrowArgument("x and y must not overlap: every output reads all of x", nameof(y));
        }

        if (addend.Overlaps(y))
        {
            ThrowHelper.ThrowArgument("the addend and y must not overlap: a batch reads b for every row", nameof(y));
        }

        return Execute<TE>(x, y, addend, addend.Length == Columns ? 0 : Columns, batch, xClean, scanAddend: TE.TakesAddend, cancel);
    }

    /// <summary>
    /// A call from an owner that passes lengths it has checked and an addend it keeps free of subnormals (flushed
    /// params, or the outputs of another GEMV): a recurrent cell's program, private to one run. Row r's addend starts
    /// at <c>addend[r * addendStride]</c> (0: one b for every row; the span may run past the last one), and is not
    /// scanned, except for an epilogue whose accumulator starts from it (there a tiny b needs the flushing kernel).
    /// </summary>
    /// <returns>Whether y holds a tiny value.</returns>
    internal bool RunChecked<TE>(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> addend, int addendStride, int batch, bool xClean, CancellationToken cancel)
        where TE : struct, IGemvEpilogue
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Execute<TE>(x, y, addend, addendStride, batch, xClean, scanAddend: TE.StartsFromAddend, cancel);
    }

    /// <summary>
    /// The call itself, one at a time: x flushed into a scratch copy when it holds a tiny value (unless the caller
    /// knows it is clean), b likewise when <paramref name="scanAddend"/> asks for a look at it.
    /// </summary>
    private bool Execute<TE>(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> addend, int bStride, int batch, bool xClean, bool scanAddend, CancellationToken cancel)
        where TE : struct, IGemvEpilogue
    {
        if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            throw new InvalidOperationException("a GemvOperator serves one call at a time, but a call entered while another was running on another thread; give each thread its own operator");
        }

        try
        {
            bool xTiny = !xClean && Gemv.NeedsFlush(x);
            if (TE.TakesAddend)
            {
                addend = addend[..(((batch - 1) * bStride) + Columns)];
            }

            bool bTiny = scanAddend && Gemv.NeedsFlush(addend);
            ReadOnlySpan<float> xs = xTiny ? Flushed(x, ref _xFlushed) : x;
            ReadOnlySpan<float> bs = bTiny ? Flushed(addend, ref _bFlushed) : addend;
            fixed (float* px = xs, py = y, pb = bs)
            {
                _x = px;
                _y = py;
                _b = pb;
                _bStride = bStride;
                _compute = _wNeedsFlush || xTiny || bTiny ? Compute<TE, Yes>.Instance : Compute<TE, No>.Instance;
                return batch == 1 ? RunRows(0, 1) : RunBatch(batch, cancel);
            }
        }
        finally
        {
            _x = _y = _b = null;
            _compute = null;
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>
    /// A call from an owner that alone uses this operator and passes lengths it has checked (LaxScanModule's
    /// operator, private to one run): a single-thread step of one row with a clean x goes straight to the kernel.
    /// </summary>
    /// <returns>Whether y holds a tiny value.</returns>
    internal bool RunOwned<TE>(ReadOnlySpan<float> x, Span<float> y, int batch, bool xClean, CancellationToken cancel)
        where TE : struct, IGemvEpilogue
    {
        if (batch == 1 && xClean && !_wNeedsFlush && _team is null && _panels is not null && !_disposed)
        {
            return _panels.Run<TE, No>(ref MemoryMarshal.GetReference(x), ref MemoryMarshal.GetReference(y), ref Unsafe.NullRef<float>(), 0, 0, 1, 0, _units, _tier);
        }

        return Run<TE>(x, y, null, batch, xClean, cancel);
    }

    /// <summary>How many multiply-adds a block of batch rows holds; cancellation is checked between blocks.</summary>
    internal long BlockMultiplyAdds { get; init; } = BatchBlockMultiplyAdds;

    private bool RunBatch(int batch, CancellationToken cancel)
    {
        long perRow = Math.Max(1L, (long)Rows * Columns);
        int block = (int)Math.Clamp(BlockMultiplyAdds / perRow, 1, batch);
        if (block > 6)
        {
            block -= block % 6;   // whole tiles of six rows
        }

        bool tiny = false;
        for (int r0 = 0; r0 < batch; r0 += block)
        {
            cancel.ThrowIfCancellationRequested();
            tiny |= RunRows(r0, Math.Min(block, batch - r0));
        }

        return tiny;
    }

    private bool RunRows(int r0, int rows)
    {
        _r0 = r0;
        _rows = rows;

        // A single row, or panels enough for every thread: each thread its own columns; else each its own rows.
        _splitRows = rows > 1 && _units < _parts;
        if (_team is null)
        {
            ((IStepJob)this).RunPart(0);
            return _partTiny[0];
        }

        bool team = !_adaptive || _choice.Next();
        if (team)
        {
            _team.Run(this);
        }
        else
        {
            for (int p = 0; p < _parts; p++)
            {
                ((IStepJob)this).RunPart(p);
            }
        }

        if (_adaptive)
        {
            _choice.Done();
        }

        bool tiny = false;
        foreach (bool t in _partTiny)
        {
            tiny |= t;
        }

        return tiny;
    }

    void IStepJob.RunPart(int part)
    {
        int u0 = 0, u1 = _units, r0 = _r0, rows = _rows;
        if (_splitRows)
        {
            r0 = _r0 + (int)((long)_rows * part / _parts);
            rows = _r0 + (int)((long)_rows * (part + 1) / _parts) - r0;
        }
        else if (_parts > 1)
        {
            u0 = _bounds[part];
            u1 = _bounds[part + 1];
        }

        _partTiny[part] = u0 < u1 && rows > 0 && _compute!(this, u0, u1, r0, rows);
    }

    private bool ComputeRange<TE, TF>(int u0, int u1, int r0, int rows)
        where TE : struct, IGemvEpilogue
        where TF : struct, IFlag
    {
        if (_panels is not null)
        {
            return _panels.Run<TE, TF>(ref Unsafe.AsRef<float>(_x), ref Unsafe.AsRef<float>(_y), ref Unsafe.AsRef<float>(_b), _bStride, r0, rows, u0, u1, _tier);
        }

        int k = Rows;
        int n = Columns;
        int c0 = u0 * GemvPanels.Width;
        int c1 = Math.Min(u1 * GemvPanels.Width, n);
        if (rows == 1)
        {
            ReadOnlySpan<float> b = TE.TakesAddend ? new ReadOnlySpan<float>(_b + ((nint)r0 * _bStride), n) : default;
            return Gemv.RowMajor<TE, TF>(new ReadOnlySpan<float>(_x + ((nint)r0 * k), k), _w, b, n, new Span<float>(_y + ((nint)r0 * n), n), c0, c1, _tier);
        }

        return Gemv.BatchColumns<TE, TF>(
            ref Unsafe.AsRef<float>(_x), k, r0, r0 + rows, ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_w), c0), (nuint)n, ref Unsafe.AsRef<float>(_y), n, ref Unsafe.AsRef<float>(_b), _bStride, c0, c1, Gemv.StartOfTail(k, n), _tier);
    }

    private static float[] Flushed(ReadOnlySpan<float> values, ref float[] buffer)
    {
        if (buffer.Length != values.Length)
        {
            buffer = new float[values.Length];
        }

        values.CopyTo(buffer);
        Gemv.FlushAll(buffer);
        return buffer;
    }

    private static NDArray<float> Check(NDArray<float> w)
    {
        ArgumentNullException.ThrowIfNull(w);
        if (w.Shape.Rank != 2)
        {
            ThrowHelper.ThrowArgument($"a GEMV matrix must have rank 2, but W has shape {w.Shape}", nameof(w));
        }

        return w;
    }

    /// <summary>Stops the worker threads, unless the team belongs to the caller; later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_ownsTeam)
        {
            _team?.Dispose();
        }
    }

    /// <summary>One delegate per epilogue and flush mode, made once, so a call picks its kernel without allocating.</summary>
    private static class Compute<TE, TF>
        where TE : struct, IGemvEpilogue
        where TF : struct, IFlag
    {
        public static readonly Func<GemvOperator, int, int, int, int, bool> Instance =
            static (op, u0, u1, r0, rows) => op.ComputeRange<TE, TF>(u0, u1, r0, rows);
    }
}
