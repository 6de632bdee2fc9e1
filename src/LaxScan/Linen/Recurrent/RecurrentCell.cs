using LaxScan.Kernels;
using LaxScan.Linen.Recurrent.Kernels;
using LaxScan.Nn;
using LaxScan.Numerics;
using LaxScan.Random;
using LaxScan.Threading;

namespace LaxScan.Linen.Recurrent;

/// <summary>
/// Flax's <c>RNNCellBase</c> (flax/linen/recurrent.py): a module whose call is one step,
/// <c>(carry, x) -&gt; (carry', y)</c> with x of shape <c>(*batch, in_features)</c> and each carry part
/// <c>(*batch, features)</c>, and whose <see cref="InitializeCarry"/> makes the first carry. Scan it over a sequence
/// with <see cref="Rnn"/> or <see cref="Transforms.LinenTransforms.Scan"/>.
/// </summary>
/// <remarks>
/// <para>
/// Params: names, shapes, creation order and default initializers are Flax's, so <c>Init</c> gives Flax's RNG keys
/// and a Flax checkpoint applies. The default <see cref="RecurrentKernelInit"/> is <see cref="Initializers.Orthogonal"/>,
/// whose values are not JAX's bits (see there); every other default initializer is.
/// </para>
/// <para>
/// Numerics: a step has the bits JAX computes for it inside a compiled computation (a scan, as in <c>nn.RNN</c> and
/// <c>nn.scan</c>, or <c>jax.jit</c>), with XLA:CPU's fusions, FMA contractions, exp/tanh and flush-to-zero, for each
/// row of a batch separately (docs/parity.md, "Recurrent family"). JAX's eager op-by-op execution of one step does
/// not contract products across ops and is not what this reproduces.
/// </para>
/// </remarks>
public abstract class RecurrentCell : Module<(RnnCarry Carry, NDArray<float> X), (RnnCarry Carry, NDArray<float> Y)>
{
    private protected RecurrentCell(int features)
    {
        if (features < 1)
        {
            ThrowHelper.ThrowArgumentOutOfRange($"features must be >= 1, but was given {features}", nameof(features));
        }

        Features = features;
    }

    /// <summary>The number of output features H (Flax's <c>features</c>): the size of each carry part.</summary>
    public int Features { get; }

    /// <summary>The input kernels' initializer; Flax's default is <c>lecun_normal()</c>.</summary>
    public Initializer KernelInit { get; init; } = Initializers.LecunNormal();

    /// <summary>
    /// The recurrent (hidden-to-hidden) kernels' initializer; Flax's default is <c>orthogonal()</c>, here
    /// <see cref="Initializers.Orthogonal"/>, which is <b>not JAX's bits</b>. Pass another initializer (or apply a
    /// checkpoint) where the params must be JAX's.
    /// </summary>
    public Initializer RecurrentKernelInit { get; init; } = Initializers.Orthogonal();

    /// <summary>The initializer of each carry part; Flax's default is zeros.</summary>
    public Initializer CarryInit { get; init; } = Initializers.Zeros;

    /// <summary>Threads per GEMV: 0 picks by size, 1 keeps to the calling thread. The bits are the same either way.</summary>
    public int Threads { get; init; }

    /// <summary>How many arrays the carry holds: 2 for the LSTMs' (c, h), 1 for h.</summary>
    public abstract int CarryCount { get; }

    /// <summary>The widest SIMD tier the step may use; tests force narrower ones. Every tier gives the same bits.</summary>
    internal SimdTier Tier { get; init; } = SimdTiers.Default;

    /// <summary>
    /// Flax's <c>initialize_carry(rng, input_shape)</c>: each part of shape <c>input_shape[:-1] + (features,)</c> from
    /// <see cref="CarryInit"/>. The LSTMs split the key in two first (c from the first, h from the second), as Flax does.
    /// </summary>
    /// <param name="key">The key (ignored by the default zeros).</param>
    /// <param name="inputShape">The shape of one step's input, <c>(*batch, in_features)</c>.</param>
    /// <param name="mode">The threefry mode of the split.</param>
    /// <exception cref="ArgumentException"><paramref name="inputShape"/> has rank 0.</exception>
    public RnnCarry InitializeCarry(PrngKey key, Shape inputShape, ThreefryMode mode = ThreefryMode.Partitionable)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Rank == 0)
        {
            ThrowHelper.ThrowArgument($"{ClassName}.initialize_carry needs an input shape with a feature axis, but got {inputShape}", nameof(inputShape));
        }

        var memShape = new Shape([.. inputShape.Dimensions[..^1], Features]);
        if (CarryCount == 1)
        {
            return new RnnCarry(CarryInit(key, memShape, mode));
        }

        PrngKey[] keys = key.Split(2, mode);
        return new RnnCarry(CarryInit(keys[0], memShape, mode), CarryInit(keys[1], memShape, mode));
    }

    /// <summary>
    /// Makes (in init) or reads (in apply) the cell's params in Flax's order in <paramref name="scope"/>, and binds them
    /// into a program that runs steps. The hidden size comes from the carry, as in Flax (<c>h.shape[-1]</c>).
    /// </summary>
    /// <param name="scope">The cell's scope.</param>
    /// <param name="inputFeatures">F.</param>
    /// <param name="hiddenFeatures">H, from the carry.</param>
    /// <param name="team">The run's thread team, shared by every GEMV of the run.</param>
    internal abstract CellProgram Bind(Scope scope, int inputFeatures, int hiddenFeatures, RunTeam team);

    /// <summary>The input Dense side by side (one group: every projection adds its bias, if any), for chunks of steps.</summary>
    private protected DenseKernel InputKernel(RunTeam team, params NDArray<float>[] kernels) =>
        new(kernels, null, Threads, Tier, team, DenseKernel.ChunkRows);

    /// <summary>The recurrent Dense side by side, in groups by addend, for one step at a time.</summary>
    private protected DenseKernel RecurrentKernel(RunTeam team, int[]? groups, params NDArray<float>[] kernels) =>
        new(kernels, groups, Threads, Tier, team, batchHint: 1);

    /// <summary>
    /// The scalar reference of one step for one row, written from the rules without the fast kernels: each Dense's
    /// dot by <see cref="Gemv.Reference"/>, biases and carry flushed, then <see cref="CellMath"/>.
    /// </summary>
    /// <param name="cellParams">The cell's params dict (the one holding <c>ii</c>, <c>hi</c>, ...).</param>
    /// <param name="x">The input row.</param>
    /// <param name="carry">The carry row parts, in Flax's order; replaced by the next carry.</param>
    internal abstract void ReferenceStep(Variables cellParams, float[] x, float[][] carry);

    /// <summary>One step for every row of a batch; y is the new h.</summary>
    protected override (RnnCarry Carry, NDArray<float> Y) Call(Scope scope, (RnnCarry Carry, NDArray<float> X) input)
    {
        ArgumentNullException.ThrowIfNull(scope);
        (RnnCarry carry, NDArray<float> x) = input;
        ArgumentNullException.ThrowIfNull(carry);
        ArgumentNullException.ThrowIfNull(x);
        CheckStepShapes(carry, x.Shape);
        CheckVersion(scope, ClassName);
        int hidden = carry.Shape[-1];
        int inputFeatures = x.Shape[-1];
        int rows = checked((int)(carry.Shape.Size / hidden));

        using var team = new RunTeam(Threads);
        using CellProgram program = Bind(scope, inputFeatures, hidden, team);
        var next = new RnnCarry([.. Enumerable.Range(0, CarryCount).Select(_ => new NDArray<float>(carry.Shape))]);
        var state = new CellState(hidden, CarryCount);
        float[] p = new float[program.ProjectionWidth];
        float[] xRow = new float[inputFeatures];
        for (int r = 0; r < rows; r++)
        {
            state.Load(carry, r);
            x.Span.Slice(r * inputFeatures, inputFeatures).CopyTo(xRow);
            program.Project(xRow, 1, p, default);
            program.Step(p, 0, state);
            state.Advance();
            state.Store(next, r);
        }

        var y = new NDArray<float>(carry.Shape);
        next.H.Span.CopyTo(y.Span);
        return (next, y);
    }

    /// <summary>
    /// Refuses a JAX release whose XLA computes the cells otherwise: before 0.10.2 each Dense's bias, and the sum of the
    /// input and recurrent dots, were fused into a GEMV's accumulator (<see cref="JaxVersion.FusesDenseBias"/>), which
    /// the cells do not reproduce (docs/parity.md, "Version splits").
    /// </summary>
    internal static void CheckVersion(Scope scope, string cellName)
    {
        JaxVersion version = scope.Options.JaxVersion;
        if (version.FusesDenseBias)
        {
            throw new NotSupportedException(
                $"{cellName} follows XLA as JAX 0.10.2 and later compile it (every bias added after its dot); JAX {version} fused a Dense's bias into the GEMV's accumulator inside a scan, which LaxScan's recurrent cells do not reproduce");
        }
    }

    /// <summary>Flax's shape rule for one step: each carry part is <c>(*batch, H)</c> for x of shape <c>(*batch, F)</c>.</summary>
    internal void CheckStepShapes(RnnCarry carry, Shape xShape)
    {
        if (carry.Count != CarryCount)
        {
            ThrowHelper.ThrowArgument($"{ClassName} carries {(CarryCount == 2 ? "(c, h)" : "h")}, {CarryCount} array(s), but the carry has {carry.Count}", "carry");
        }

        if (xShape.Rank == 0 || carry.Shape.Rank != xShape.Rank || !carry.Shape.Dimensions[..^1].SequenceEqual(xShape.Dimensions[..^1]))
        {
            ThrowHelper.ThrowArgument(
                $"{ClassName} takes x of shape (*batch, in_features) and a carry of shape (*batch, features) with the same batch axes, but x has shape {xShape} and the carry {carry.Shape}",
                "x");
        }

        if (carry.Shape[-1] < 1)
        {
            ThrowHelper.ThrowArgument($"{ClassName}'s carry has no features: shape {carry.Shape}", "carry");
        }
    }

    /// <summary>A Dense's params, made or read in a child scope named <paramref name="name"/>.</summary>
    private protected static (NDArray<float> Kernel, NDArray<float>? Bias) Dense(Scope scope, string name, int inputs, int features, Initializer kernelInit, Initializer? biasInit) =>
        scope.Call(new DenseParams(name, features, kernelInit, biasInit), inputs);

    /// <summary>The reference dot of one Dense: <c>x @ kernel</c> in XLA's order for the kernel's width, then its bias.</summary>
    private protected static float[] ReferenceDense(Variables cellParams, string name, float[] x)
    {
        var kernel = cellParams.GetFloat32(name, "kernel");
        float[] y = new float[kernel.Shape[1]];
        Gemv.Reference(x, kernel.Span, y);
        if (cellParams.TryGetLeaf([name, "bias"], out INDArray? leaf) && leaf is NDArray<float> bias)
        {
            for (int j = 0; j < y.Length; j++)
            {
                y[j] = XlaMath.Add(y[j], XlaMath.FlushToZero(bias.Span[j]));
            }
        }

        return y;
    }

    /// <summary>A flushed copy of a Dense's bias from the params (zeros when it has none).</summary>
    private protected static float[] ReferenceBias(Variables cellParams, string name, int features)
    {
        float[] b = new float[features];
        if (cellParams.TryGetLeaf([name, "bias"], out INDArray? leaf) && leaf is NDArray<float> bias)
        {
            for (int j = 0; j < features; j++)
            {
                b[j] = XlaMath.FlushToZero(bias.Span[j]);
            }
        }

        return b;
    }

    /// <summary>The reference dot without the bias.</summary>
    private protected static float[] ReferenceDot(Variables cellParams, string name, float[] x)
    {
        var kernel = cellParams.GetFloat32(name, "kernel");
        float[] y = new float[kernel.Shape[1]];
        Gemv.Reference(x, kernel.Span, y);
        return y;
    }

    /// <summary>Concatenates arrays along their last axis, as Flax's <c>jnp.concatenate(..., axis=-1)</c>.</summary>
    private protected static float[] ConcatenateColumns(params NDArray<float>[] parts)
    {
        int rows = parts[0].Shape.Rank == 1 ? 1 : parts[0].Shape[0];
        int total = parts.Sum(p => p.Shape[-1]);
        float[] result = new float[rows * total];
        int offset = 0;
        foreach (NDArray<float> part in parts)
        {
            int w = part.Shape[-1];
            for (int r = 0; r < rows; r++)
            {
                part.Span.Slice(r * w, w).CopyTo(result.AsSpan((r * total) + offset, w));
            }

            offset += w;
        }

        return result;
    }
}
