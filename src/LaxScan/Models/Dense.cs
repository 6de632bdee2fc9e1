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
}
