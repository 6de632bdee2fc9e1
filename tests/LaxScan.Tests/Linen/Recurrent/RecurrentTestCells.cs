using LaxScan.Linen;
using LaxScan.Linen.Recurrent;
using LaxScan.Nn;
using LaxScan.Numerics;
using LaxScan.Random;

namespace LaxScan.Tests.Linen.Recurrent;

/// <summary>The cells under test, with every param random (nonzero biases) so every term of a step matters.</summary>
internal static class RecurrentTestCells
{
    public static readonly string[] Kinds = ["simple", "simple-residual", "gru", "mgu", "mgu-no-reset", "lstm", "optimized-lstm"];

    public static RecurrentCell Create(string kind, int features, SimdTier tier = SimdTier.Vector512, bool randomBiases = true, int threads = 0)
    {
        Initializer kernel = Initializers.Normal(0.6f);
        Initializer bias = randomBiases ? Initializers.Normal(0.4f) : Initializers.Zeros;
        return kind switch
        {
            "simple" => new SimpleCell(features) { KernelInit = kernel, RecurrentKernelInit = kernel, BiasInit = bias, Tier = tier, Threads = threads },
            "simple-residual" => new SimpleCell(features) { KernelInit = kernel, RecurrentKernelInit = kernel, BiasInit = bias, Residual = true, Tier = tier, Threads = threads },
            "gru" => new GruCell(features) { KernelInit = kernel, RecurrentKernelInit = kernel, BiasInit = bias, Tier = tier, Threads = threads },
            "mgu" => new MguCell(features) { KernelInit = kernel, RecurrentKernelInit = kernel, ForgetBiasInit = bias, ActivationBiasInit = bias, Tier = tier, Threads = threads },
            "mgu-no-reset" => new MguCell(features) { KernelInit = kernel, RecurrentKernelInit = kernel, ForgetBiasInit = bias, ActivationBiasInit = bias, ResetGate = false, Tier = tier, Threads = threads },
            "lstm" => new LstmCell(features) { KernelInit = kernel, RecurrentKernelInit = kernel, BiasInit = bias, Tier = tier, Threads = threads },
            "optimized-lstm" => new OptimizedLstmCell(features) { KernelInit = kernel, RecurrentKernelInit = kernel, BiasInit = bias, Tier = tier, Threads = threads },
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    /// <summary>Inputs of shape (T, F) from a normal draw scaled by <paramref name="scale"/>.</summary>
    public static NDArray<float> Sequence(int seed, int steps, int features, float scale = 1.5f)
    {
        NDArray<float> x = JaxRandom.Normal(PrngKey.FromSeed(seed), new Shape(steps, features));
        for (int i = 0; i < x.Length; i++)
        {
            x.Span[i] *= scale;
        }

        return x;
    }

    /// <summary>B sequences of shape (T, F) stacked into a batch (B, T, F), row b from seed + b.</summary>
    public static NDArray<float> Batch(int seed, int rows, int steps, int features, float scale = 1.5f) =>
        new(new Shape(rows, steps, features), [.. Enumerable.Range(0, rows).SelectMany(b => Sequence(seed + b, steps, features, scale).Data)]);

    /// <summary>Row b of a batch (B, T, F) as its own sequence (T, F).</summary>
    public static NDArray<float> Row(NDArray<float> batch, int b)
    {
        int size = batch.Shape[1] * batch.Shape[2];
        return new NDArray<float>(new Shape(batch.Shape[1], batch.Shape[2]), batch.Span.Slice(b * size, size).ToArray());
    }

    /// <summary>The cell's params dict inside an RNN's variables.</summary>
    public static Variables CellParams(Variables variables) => variables.GetDict("params", "cell");

    /// <summary>Runs the scalar reference over a sequence (T, F) from a zero carry: the outputs (T, H) and the final carry parts.</summary>
    public static (float[] Ys, float[][] Carry) Reference(RecurrentCell cell, Variables cellParams, NDArray<float> xs, int hidden, bool reverse = false)
    {
        int steps = xs.Shape[0];
        int f = xs.Shape[1];
        float[][] carry = [.. Enumerable.Range(0, cell.CarryCount).Select(_ => new float[hidden])];
        float[] ys = new float[steps * hidden];
        for (int i = 0; i < steps; i++)
        {
            int t = reverse ? steps - 1 - i : i;
            cell.ReferenceStep(cellParams, xs.Span.Slice(t * f, f).ToArray(), carry);
            carry[^1].CopyTo(ys.AsSpan(t * hidden, hidden));
        }

        return (ys, carry);
    }
}
