using LaxScan.Kernels;
using LaxScan.Numerics;

namespace LaxScan.Linen.Recurrent.Kernels;

/// <summary>
/// One bound cell, ready to run steps with no allocation: its Dense kernels behind <see cref="DenseKernel"/> (the input
/// kernels side by side, the recurrent kernels side by side), its biases flushed once (DAZ), and the elementwise step.
/// A step is <c>Project</c> (the input dots, which do not depend on the carry, so they can run for many steps at once
/// with each step's own bits) and then <see cref="Step"/> (the recurrent dots and the elementwise part).
/// </summary>
/// <remarks>
/// Each Dense bias is added by the GEMV's <c>AddAfter</c> epilogue, <c>rn(dot + b)</c> flushed, which is XLA's
/// separate add after the dot (docs/parity.md, "Which adds are fused into a GEMV"); so is the recurrent dot's sum
/// with the input projection where the cell adds them with nothing in between.
/// </remarks>
internal abstract class CellProgram : IDisposable
{
    private readonly float[] _inputBias;

    protected CellProgram(int features, DenseKernel input, DenseKernel recurrent, float[] inputBias, SimdTier tier)
    {
        Features = features;
        Input = input;
        Recurrent = recurrent;
        _inputBias = Flushed(inputBias);
        Tier = tier;
    }

    /// <summary>H.</summary>
    public int Features { get; }

    /// <summary>F, the input's last axis.</summary>
    public int InputFeatures => Input.Rows;

    /// <summary>The width of one step's input projection (the input kernels' outputs side by side).</summary>
    public int ProjectionWidth => Input.Width;

    /// <summary>1 for a carry h, 2 for an LSTM's (c, h).</summary>
    public abstract int CarryCount { get; }

    protected DenseKernel Input { get; }

    protected DenseKernel Recurrent { get; }

    protected SimdTier Tier { get; }

    /// <summary>
    /// The input projections of <paramref name="rows"/> steps, x row-major (exactly rows x F), into p (rows x
    /// <see cref="ProjectionWidth"/>): <c>x @ W_i</c>, plus the input Dense's bias (the <c>AddAfter</c> epilogue) for
    /// the cells whose input Dense has one.
    /// </summary>
    /// <param name="x">The inputs of the steps.</param>
    /// <param name="rows">How many steps.</param>
    /// <param name="p">Their projections.</param>
    /// <param name="cancel">Checked between blocks of rows of a large product.</param>
    public void Project(float[] x, int rows, float[] p, CancellationToken cancel)
    {
        if (_inputBias.Length > 0)
        {
            Input.MultiplyRows<GemvEpilogues.AddAfter>(x, rows, p, _inputBias, cancel);
        }
        else
        {
            Input.MultiplyRows<GemvEpilogues.Identity>(x, rows, p, [], cancel);
        }
    }

    /// <summary>One step: reads <c>state.H</c> (and <c>state.C</c>), writes the next carry into <c>state.Next*</c>.</summary>
    /// <param name="p">Projections from <see cref="Project"/>; this step's row starts at <paramref name="offset"/>.</param>
    /// <param name="offset">Where this step's row of <paramref name="p"/> starts.</param>
    /// <param name="state">The carry buffers.</param>
    public abstract void Step(float[] p, int offset, CellState state);

    /// <summary>Stops the GEMV threads.</summary>
    public void Dispose()
    {
        Input.Dispose();
        Recurrent.Dispose();
    }

    /// <summary>A flushed copy (DAZ: a subnormal param counts as a signed zero in every XLA op that reads it).</summary>
    protected static float[] Flushed(ReadOnlySpan<float> values)
    {
        float[] copy = values.ToArray();
        for (int i = 0; i < copy.Length; i++)
        {
            copy[i] = XlaMath.FlushToZero(copy[i]);
        }

        return copy;
    }
}

/// <summary>The carry buffers of one running sequence: current and next, swapped after each step.</summary>
internal sealed class CellState
{
    public CellState(int features, int carryCount)
    {
        H = new float[features];
        NextH = new float[features];
        C = carryCount == 2 ? new float[features] : [];
        NextC = carryCount == 2 ? new float[features] : [];
        HClean = true;
    }

    /// <summary>The hidden state h.</summary>
    public float[] H { get; private set; }

    /// <summary>The LSTM memory c (empty for other cells).</summary>
    public float[] C { get; private set; }

    public float[] NextH { get; private set; }

    public float[] NextC { get; private set; }

    /// <summary>Whether h is known to hold no tiny value (nonzero below 2^-40), so the GEMVs need not scan it.</summary>
    public bool HClean { get; private set; }

    /// <summary>What the step says of <see cref="NextH"/>: true when it may hold a tiny value.</summary>
    public bool NextHTiny { get; set; } = true;

    /// <summary>Loads a carry row (parts in Flax's order: (c, h) or h), flushed.</summary>
    public void Load(RnnCarry carry, int row)
    {
        int n = H.Length;
        ReadOnlySpan<float> h = carry.H.Span.Slice(row * n, n);
        for (int j = 0; j < n; j++)
        {
            H[j] = XlaMath.FlushToZero(h[j]);
        }

        if (C.Length > 0)
        {
            ReadOnlySpan<float> c = carry[0].Span.Slice(row * n, n);
            for (int j = 0; j < n; j++)
            {
                C[j] = XlaMath.FlushToZero(c[j]);
            }
        }

        HClean = !Gemv.NeedsFlush(H);
    }

    /// <summary>Writes the current carry into row <paramref name="row"/> of <paramref name="carry"/>.</summary>
    public void Store(RnnCarry carry, int row)
    {
        int n = H.Length;
        H.CopyTo(carry.H.Span.Slice(row * n, n));
        if (C.Length > 0)
        {
            C.CopyTo(carry[0].Span.Slice(row * n, n));
        }
    }

    /// <summary>The step's outputs become the current carry.</summary>
    public void Advance()
    {
        (H, NextH) = (NextH, H);
        (C, NextC) = (NextC, C);
        HClean = !NextHTiny;
        NextHTiny = true;
    }
}
