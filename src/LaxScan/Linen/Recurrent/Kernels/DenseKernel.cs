using LaxScan.Kernels;
using LaxScan.Numerics;
using LaxScan.Threading;

namespace LaxScan.Linen.Recurrent.Kernels;

/// <summary>
/// The one place the recurrent cells ask for "x @ W with XLA's bits": the Dense kernels of a cell that multiply the same
/// x, laid side by side as one row of outputs, behind <see cref="GemvOperator"/>s. The cell's program chooses, per
/// call, the GEMV epilogue (<see cref="GemvEpilogues"/>) that does the cell's next elementwise op in registers at the
/// store: <c>AddAfter</c> is exactly the separate rounded add XLA computes after each dot (the bias, or the other
/// Dense's output), <c>AddAfterTanh</c> that add followed by tanh.
/// </summary>
/// <remarks>
/// <para>
/// Each Dense is its own XLA dot, whose last N mod 8 outputs take the GEMV's scalar epilogue. Kernels whose widths are
/// multiples of 8 have no such outputs, so the Dense of one group are multiplied as one concatenated matrix with the
/// same bits (one operator call); otherwise each Dense keeps its own operator. <c>OptimizedLSTMCell</c>'s
/// concatenated kernel is one matrix in Flax itself, so it is always one call.
/// </para>
/// <para>
/// Groups: the Dense whose outputs take the same epilogue with one contiguous addend (GRU's <c>hr, hz</c> take the
/// input projections, <c>hn</c> its bias), given at construction as counts of consecutive Dense.
/// </para>
/// <para>
/// Threads: every operator uses the run's one <see cref="RunTeam"/> when its size asks for more than one thread.
/// </para>
/// </remarks>
internal sealed class DenseKernel : IDisposable
{
    // Input projections are computed this many steps at a time (one batched GEMV call per chunk).
    public const int ChunkRows = 32;

    private readonly int _width;                 // one Dense's outputs
    private readonly GemvOperator[] _operators;  // one per group (joined), or one per Dense
    private readonly float[][] _outputs;         // each operator's last single-row outputs
    private readonly int[] _firstOperator;       // group g runs operators [_firstOperator[g], _firstOperator[g + 1])
    private readonly int[] _firstColumn;         // where each operator's outputs lie in the row of all outputs
    private float[] _rowsScratch = [];

    /// <summary>Lays out kernels (each rows x width, the same for all) side by side.</summary>
    /// <param name="kernels">The Dense kernels in output order.</param>
    /// <param name="groups">How many consecutive Dense each group holds (null: one group of all).</param>
    /// <param name="threads">The cell's thread setting (0: automatic).</param>
    /// <param name="tier">The widest SIMD tier.</param>
    /// <param name="team">The run's team.</param>
    /// <param name="batchHint">The rows a typical call has (<see cref="ChunkRows"/> for input projections, 1 for recurrent dots).</param>
    public DenseKernel(IReadOnlyList<NDArray<float>> kernels, int[]? groups, int threads, SimdTier tier, RunTeam team, int batchHint)
    {
        Rows = kernels[0].Shape[0];
        _width = kernels[0].Shape[1];
        Width = _width * kernels.Count;
        groups ??= [kernels.Count];
        bool join = kernels.Count == 1 || _width % 8 == 0;
        int operators = join ? groups.Length : kernels.Count;
        _operators = new GemvOperator[operators];
        _outputs = new float[operators][];
        _firstColumn = new int[operators];
        _firstOperator = new int[groups.Length + 1];
        int dense = 0, op = 0;
        for (int g = 0; g < groups.Length; g++)
        {
            _firstOperator[g] = op;
            int parts = join ? 1 : groups[g];
            for (int s = 0; s < parts; s++, op++)
            {
                int count = join ? groups[g] : 1;
                NDArray<float> matrix = count == 1 ? kernels[dense] : new NDArray<float>(new Shape(Rows, count * _width), Concatenate(kernels, dense, count, Rows, _width));
                int columns = count * _width;
                int wanted = GemvOperator.PickThreads(threads, Rows, columns, (columns + GemvPanels.Width - 1) / GemvPanels.Width, batchHint);
                _operators[op] = new GemvOperator(matrix, threads, tier, team.For(wanted), panels: true, batchHint);
                _outputs[op] = new float[columns];
                _firstColumn[op] = dense * _width;
                dense += count;
            }
        }

        _firstOperator[groups.Length] = op;
    }

    /// <summary>K: the length of x.</summary>
    public int Rows { get; }

    /// <summary>The total number of outputs of all kernels.</summary>
    public int Width { get; }

    /// <summary>
    /// <c>epilogue(x @ W)</c> for the Dense of group <paramref name="group"/>, read them with <see cref="Output"/>, or
    /// with <paramref name="into"/> (a group of one operator only) straight into that array.
    /// </summary>
    /// <typeparam name="TE">The epilogue.</typeparam>
    /// <param name="group">The group.</param>
    /// <param name="x">x, length <see cref="Rows"/>.</param>
    /// <param name="xClean">Whether x is known to hold no tiny value (it then is not scanned).</param>
    /// <param name="addend">The addend of the group's outputs, flushed, from <paramref name="addendOffset"/> on ([] without one).</param>
    /// <param name="addendOffset">Where the group's first output's addend is.</param>
    /// <param name="into">Where the outputs go instead of <see cref="Output"/>'s buffers.</param>
    /// <returns>Whether an output is tiny (a nonzero below 2^-40).</returns>
    public bool Multiply<TE>(int group, float[] x, bool xClean, float[] addend, int addendOffset, float[]? into = null)
        where TE : struct, IGemvEpilogue
    {
        bool tiny = false;
        for (int op = _firstOperator[group]; op < _firstOperator[group + 1]; op++)
        {
            int offset = TE.TakesAddend ? addendOffset + _firstColumn[op] - _firstColumn[_firstOperator[group]] : 0;
            tiny |= _operators[op].RunChecked<TE>(x, into ?? _outputs[op], addend.AsSpan(offset), 0, 1, xClean, default);
        }

        return tiny;
    }

    /// <summary>
    /// Outputs [offset, offset + length) of the row of all outputs, from the last <see cref="Multiply{TE}"/> of their
    /// group; they must lie within one operator (one Dense, or one group of joined Dense).
    /// </summary>
    public ReadOnlySpan<float> Output(int offset, int length)
    {
        int op = _firstColumn.Length - 1;
        while (_firstColumn[op] > offset)
        {
            op--;
        }

        return _outputs[op].AsSpan(offset - _firstColumn[op], length);
    }

    /// <summary>
    /// <c>y[r] = epilogue(x[r] @ W)</c> for every Dense at once (one group), for <paramref name="rows"/> rows: x holds
    /// exactly rows x K values and y rows x <see cref="Width"/>; each row has the bits of a single row's call.
    /// </summary>
    /// <param name="x">The rows of x.</param>
    /// <param name="rows">How many, at most <see cref="ChunkRows"/> (or the first call's count, when that is more).</param>
    /// <param name="y">The rows of outputs.</param>
    /// <param name="addend">The addend of one row (every row adds the same), flushed; [] without one.</param>
    /// <param name="cancel">Checked between blocks of rows of a large product.</param>
    public void MultiplyRows<TE>(float[] x, int rows, float[] y, float[] addend, CancellationToken cancel)
        where TE : struct, IGemvEpilogue
    {
        if (_operators.Length == 1)
        {
            _operators[0].RunChecked<TE>(x, y, addend, 0, rows, xClean: false, cancel);
            return;
        }

        // Each Dense its own dot: its rows into a scratch block (made on the first call, for the most rows a call has),
        // then into place in y's rows.
        if (_rowsScratch.Length == 0)
        {
            _rowsScratch = new float[Math.Max(rows, ChunkRows) * _width];
        }

        float[] scratch = _rowsScratch;
        for (int s = 0; s < _operators.Length; s++)
        {
            _operators[s].RunChecked<TE>(x, scratch.AsSpan(0, rows * _width), addend.AsSpan(TE.TakesAddend ? s * _width : 0), 0, rows, xClean: false, cancel);
            for (int r = 0; r < rows; r++)
            {
                scratch.AsSpan(r * _width, _width).CopyTo(y.AsSpan((r * Width) + (s * _width), _width));
            }
        }
    }

    /// <summary>Stops the GEMV worker threads the operators own (the run's team is the run's to stop).</summary>
    public void Dispose()
    {
        foreach (GemvOperator op in _operators)
        {
            op.Dispose();
        }
    }

    private static float[] Concatenate(IReadOnlyList<NDArray<float>> kernels, int first, int count, int rows, int width)
    {
        int total = width * count;
        float[] matrix = new float[rows * total];
        for (int k = 0; k < count; k++)
        {
            ReadOnlySpan<float> source = kernels[first + k].Span;
            for (int r = 0; r < rows; r++)
            {
                source.Slice(r * width, width).CopyTo(matrix.AsSpan((r * total) + (k * width), width));
            }
        }

        return matrix;
    }
}
