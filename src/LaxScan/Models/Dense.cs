using LaxScan.Linen;
using LaxScan.Nn;
using LaxScan.Kernels;
using LaxScan.Numerics;

namespace LaxScan.Models;

/// <summary>
/// Flax's <c>nn.Dense</c> (flax/linen/linear.py) in float32: <c>y = x @ kernel + bias</c> over the last axis of x,
/// with param <c>kernel</c> of shape (in, features) made first and <c>bias</c> of shape (features,) second, so the
/// kernel takes this scope's first <c>params</c> key and the bias its second.
/// </summary>
/// <remarks>
/// <para>
/// How the bias meets the dot depends on where the layer runs and on the JAX release
/// (<see cref="LinenOptions.JaxVersion"/>). Run eagerly (outside any transform body), JAX dispatches the dot and the
/// add as two computations, so the bias is a plain float add after the dot, in every release. Inside a transform
/// body (<see cref="TraceContext.Depth"/> &gt; 0, as in a <c>Lax.Scan</c> body that JAX compiles whole), a vector x
/// of shape (in,) meets XLA's output fusion: before JAX 0.10.2, <c>add(dot, bias)</c> is fused into the GEMV as its
/// addend (xla/service/cpu/cpu_instruction_fusion.cc <c>CanBeOutputFused</c>: a rank &lt;= 1 dot whose one user is
/// an add), so each output's sum starts at <c>bias[n]</c> and every term is an FMA
/// (tiled_dot_emitter.cc, <c>ColumnMajorMatrixVectorProductEmitter</c>: tiles load the addend as the accumulator,
/// the epilogue adds the first product to it). From 0.10.2 XLA's <c>GemvRewriter</c> (run in cpu_compiler.cc before
/// fusion) makes the dot's result (1, features) and reshapes it, so the dot has rank 2, is not output-fused, and the
/// bias is again a separate add. A batch x (rank 2 and up) is a matrix product, never output-fused.
/// </para>
/// </remarks>
public sealed class Dense : Module<NDArray<float>, NDArray<float>>
{
    /// <summary>Creates the layer.</summary>
    /// <param name="features">The number of outputs; zero or more.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="features"/> is negative.</exception>
    public Dense(int features)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(features);
        Features = features;
    }

    /// <summary>The number of outputs.</summary>
    public int Features { get; }

    /// <summary>Whether to add a bias (Flax's <c>use_bias</c>, default true).</summary>
    public bool UseBias { get; init; } = true;

    /// <summary>The kernel's initializer; Flax's default is <c>lecun_normal()</c>.</summary>
    public Initializer KernelInit { get; init; } = Initializers.LecunNormal();

    /// <summary>The bias's initializer; Flax's default is <c>zeros</c>.</summary>
    public Initializer BiasInit { get; init; } = Initializers.Zeros;

    /// <summary>Applies the layer to x of shape (..., in), giving shape (..., features).</summary>
    /// <exception cref="ArgumentException">x is a scalar (it has no last axis to contract).</exception>
    protected override NDArray<float> Call(Scope scope, NDArray<float> input)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(input);
        if (input.Shape.Rank == 0)
        {
            ThrowHelper.ThrowArgument($"Dense contracts the last axis of its input, but was given a scalar ({((INDArray)input).TypeString}); pass shape (..., in)", nameof(input));
        }

        int inFeatures = input.Shape[-1];
        NDArray<float> kernel = scope.Param("kernel", KernelInit, new Shape(inFeatures, Features));
        NDArray<float>? bias = UseBias ? scope.Param("bias", BiasInit, new Shape(Features)) : null;

        int[] outDims = input.Shape.Dimensions.ToArray();
        outDims[^1] = Features;
        var output = new NDArray<float>(new Shape(outDims));
        long rows = 1;
        foreach (int d in input.Shape.Dimensions[..^1])
        {
            rows *= d;
        }

        ReadOnlySpan<float> x = input.Span;
        Span<float> y = output.Span;
        if (bias is not null && input.Shape.Rank == 1 && TraceContext.Depth > 0 && scope.Options.JaxVersion.FusesDenseBias)
        {
            FusedBias(x, kernel.Span, bias.Span, y);
            return output;
        }

        for (long row = 0; row < rows; row++)
        {
            Span<float> yRow = y.Slice((int)(row * Features), Features);
            Gemv.Reference(x.Slice((int)(row * inFeatures), inFeatures), kernel.Span, yRow);
            if (bias is not null)
            {
                // The bias add is its own XLA op after the dot: a plain float add, under flush-to-zero.
                ReadOnlySpan<float> b = bias.Span;
                for (int j = 0; j < Features; j++)
                {
                    yRow[j] = XlaMath.FlushToZero(XlaMath.FlushToZero(yRow[j]) + XlaMath.FlushToZero(b[j]));
                }
            }
        }

        return output;
    }

    /// <summary>
    /// The output-fused GEMV of JAX &lt; 0.10.2: <c>acc = bias[n]</c>, then <c>acc = fma(kernel[k, n], x[k], acc)</c>
    /// for k ascending, under flush-to-zero. The tiles and the scalar epilogue agree here: both start from the bias.
    /// </summary>
    private static void FusedBias(ReadOnlySpan<float> x, ReadOnlySpan<float> kernel, ReadOnlySpan<float> bias, Span<float> y)
    {
        int n = y.Length;
        for (int j = 0; j < n; j++)
        {
            float acc = XlaMath.FlushToZero(bias[j]);
            for (int i = 0; i < x.Length; i++)
            {
                acc = XlaMath.Fma(XlaMath.FlushToZero(kernel[(i * n) + j]), XlaMath.FlushToZero(x[i]), acc);
            }

            y[j] = acc;
        }
    }
}
