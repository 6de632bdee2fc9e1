using LaxScan.Kernels;

namespace LaxScan.Linen.Recurrent.Kernels;

/// <summary>
/// The one place the recurrent cells ask for "x @ W with XLA's bits": the Dense kernels of a cell that multiply the same
/// x, laid side by side as one row of outputs. The only epilogue used is the identity (the bias adds and activations
/// are elementwise ops after the dot in XLA at JAX 0.11.0, see docs/parity.md), so this sits on
/// <see cref="GemvOperator.Multiply(ReadOnlySpan{float}, Span{float})"/> and <see cref="Gemv.MultiplyBatch"/>; the GEMV rewrite with
/// generic epilogues and one-pass N = 4H only has to change this file.
/// </summary>
/// <remarks>
/// Each Dense is its own XLA dot, whose last N mod 8 outputs take the GEMV's scalar epilogue. Kernels whose widths
/// are multiples of 8 have no epilogue, so they are multiplied as one concatenated matrix with the same bits; others
/// keep one GEMV each. <c>OptimizedLSTMCell</c>'s concatenated kernel is one matrix in Flax itself.
/// </remarks>
internal sealed class DenseKernel : IDisposable
{
    // Input projections are computed this many steps at a time (one batched GEMV call per chunk).
    public const int ChunkRows = 32;

    private readonly float[][] _matrices;
    private readonly GemvOperator[] _operators;
    private readonly float[][] _outputs;
    private readonly int _segmentWidth;
    private readonly float[] _rowsScratch;

    /// <summary>Lays out kernels (each rows x width, the same for all) side by side.</summary>
    public DenseKernel(IReadOnlyList<NDArray<float>> kernels, int threads)
    {
        Rows = kernels[0].Shape[0];
        int width = kernels[0].Shape[1];
        Width = width * kernels.Count;
        bool concatenate = kernels.Count == 1 || width % 8 == 0;
        _segmentWidth = concatenate ? Width : width;
        int segments = concatenate ? 1 : kernels.Count;
        _matrices = new float[segments][];
        if (concatenate)
        {
            _matrices[0] = Concatenate(kernels, Rows, width);
        }
        else
        {
            for (int s = 0; s < segments; s++)
            {
                _matrices[s] = kernels[s].Data;
            }
        }

        _operators = new GemvOperator[segments];
        _outputs = new float[segments][];
        for (int s = 0; s < segments; s++)
        {
            _operators[s] = new GemvOperator(new NDArray<float>(new Shape(Rows, _segmentWidth), _matrices[s]), threads);
            _outputs[s] = new float[_segmentWidth];
        }

        _rowsScratch = segments == 1 ? [] : new float[ChunkRows * _segmentWidth];
    }

    /// <summary>K: the length of x.</summary>
    public int Rows { get; }

    /// <summary>The total number of outputs of all kernels.</summary>
    public int Width { get; }

    /// <summary>Computes every output for x (length <see cref="Rows"/>); read them with <see cref="Output"/>.</summary>
    public void Multiply(float[] x)
    {
        for (int s = 0; s < _operators.Length; s++)
        {
            _operators[s].Multiply(x, _outputs[s]);
        }
    }

    /// <summary>Outputs [offset, offset + length) of the last <see cref="Multiply"/>; must lie within one kernel.</summary>
    public ReadOnlySpan<float> Output(int offset, int length)
    {
        int segment = offset / _segmentWidth;
        return _outputs[segment].AsSpan(offset - (segment * _segmentWidth), length);
    }

    /// <summary>
    /// <c>y[r] = x[r] @ W</c> for up to <see cref="ChunkRows"/> rows, y row-major (rows x <see cref="Width"/>); each row has
    /// the bits of <see cref="Multiply"/> on that row alone.
    /// </summary>
    public void MultiplyRows(ReadOnlySpan<float> x, int rows, Span<float> y)
    {
        if (_matrices.Length == 1)
        {
            Gemv.MultiplyBatch(x[..(rows * Rows)], _matrices[0], y[..(rows * Width)], rows);
            return;
        }

        Span<float> scratch = _rowsScratch.AsSpan(0, rows * _segmentWidth);
        for (int s = 0; s < _matrices.Length; s++)
        {
            Gemv.MultiplyBatch(x[..(rows * Rows)], _matrices[s], scratch, rows);
            for (int r = 0; r < rows; r++)
            {
                scratch.Slice(r * _segmentWidth, _segmentWidth).CopyTo(y.Slice((r * Width) + (s * _segmentWidth), _segmentWidth));
            }
        }
    }

    /// <summary>Stops the GEMV worker threads.</summary>
    public void Dispose()
    {
        foreach (GemvOperator op in _operators)
        {
            op.Dispose();
        }
    }

    private static float[] Concatenate(IReadOnlyList<NDArray<float>> kernels, int rows, int width)
    {
        if (kernels.Count == 1)
        {
            return kernels[0].Data;
        }

        int total = width * kernels.Count;
        float[] matrix = new float[rows * total];
        for (int k = 0; k < kernels.Count; k++)
        {
            ReadOnlySpan<float> source = kernels[k].Span;
            for (int r = 0; r < rows; r++)
            {
                source.Slice(r * width, width).CopyTo(matrix.AsSpan((r * total) + (k * width), width));
            }
        }

        return matrix;
    }
}
