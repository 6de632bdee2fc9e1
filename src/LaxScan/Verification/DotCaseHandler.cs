using LaxScan.Kernels;
using LaxScan.Random;

namespace LaxScan.Verification;

/// <summary>
/// <c>dot</c>: <c>x @ W</c> alone, with <c>W = jax.random.normal(PRNGKey(w_seed), (H, H))</c> (partitionable), eagerly or
/// inside a scan body. Case fields: <c>hidden</c>, <c>w_seed</c>, <c>x</c> (bits), <c>where</c>. Result fields:
/// <c>out</c> (no tanh), <c>W_sha256</c>. The probe that settles how XLA's GEMV sums each output (docs/parity.md).
/// </summary>
internal sealed class DotCaseHandler : ICaseHandler
{
    public string Kind => "dot";

    public void Check(CaseCheck check)
    {
        BundleCase c = check.Case;
        int hidden = c.Int32("hidden");
        check.Version.EnsureVectorMatrixDotIsReproducible(hidden);
        string where = c.String("where");
        if (where is not ("eager" or "scan"))
        {
            throw c.Invalid($"\"where\" is '{where}', not eager or scan");
        }

        NDArray<float> w = JaxRandom.Normal(PrngKey.FromSeed(c.Int64("w_seed")), new Shape(hidden, hidden));
        if (check.Truth.Has("W_sha256"))
        {
            check.Sha256("W_sha256", MissionCaseHandler.Float32Bytes(w.Span));
        }

        float[] x = c.Floats("x");
        if (x.Length != hidden)
        {
            throw c.Invalid($"\"x\" has {x.Length} values, not hidden = {hidden}");
        }

        var y = new NDArray<float>(new Shape(hidden));
        Gemv.Multiply(x, w.Span, y.Span);
        check.Float32("out", y);
    }
}
