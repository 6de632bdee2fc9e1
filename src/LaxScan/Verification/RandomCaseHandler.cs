using LaxScan.Random;

namespace LaxScan.Verification;

/// <summary>
/// <c>random</c>: one <c>jax.random</c> call. Case fields: <c>fn</c> (<c>split</c> with <c>n</c>, <c>fold_in</c>
/// with <c>data</c>, <c>bits</c> with <c>width</c> and <c>shape</c>, <c>uniform</c> with <c>shape</c>,
/// <c>minval</c>, <c>maxval</c>, <c>normal</c>, <c>truncated_normal</c> with <c>lower</c>, <c>upper</c>),
/// <c>mode</c>, <c>seed</c> or <c>key</c>. Result: <c>u32</c> (keys flattened, or the words) or <c>f32</c>.
/// </summary>
internal sealed class RandomCaseHandler : ICaseHandler
{
    public string Kind => "random";

    public void Check(CaseCheck check)
    {
        BundleCase c = check.Case;
        PrngKey key = c.Key();
        ThreefryMode mode = c.Mode();
        Shape shape = c.Has("shape") ? new Shape(c.Shape("shape")) : Shape.Scalar;
        switch (c.String("fn"))
        {
            case "split":
                check.Unsigned("u32", [.. key.Split(c.Int32("n"), mode).SelectMany(k => new ulong[] { k.K0, k.K1 })]);
                break;
            case "fold_in":
                PrngKey folded = key.FoldIn(checked((uint)c.Int64("data")));
                check.Unsigned("u32", [folded.K0, folded.K1]);
                break;
            case "bits":
                int width = c.Has("width") ? c.Int32("width") : 32;
                ulong[] words = width switch
                {
                    8 => [.. JaxRandom.Bits<byte>(key, shape, mode).Data.Select(v => (ulong)v)],
                    16 => [.. JaxRandom.Bits<ushort>(key, shape, mode).Data.Select(v => (ulong)v)],
                    32 => [.. JaxRandom.Bits<uint>(key, shape, mode).Data.Select(v => (ulong)v)],
                    64 => JaxRandom.Bits<ulong>(key, shape, mode).Data,
                    _ => throw c.Invalid($"\"width\" is {width}, not 8, 16, 32 or 64"),
                };
                check.Unsigned("u32", words, width == 64 ? "u64" : "u32");
                break;
            case "uniform":
                check.Float32("f32", JaxRandom.Uniform(key, shape, (float)c.Double("minval", 0), (float)c.Double("maxval", 1), mode));
                break;
            case "normal":
                check.Float32("f32", JaxRandom.Normal(key, shape, mode));
                break;
            case "truncated_normal":
                check.Float32("f32", JaxRandom.TruncatedNormal(key, shape, (float)c.Double("lower"), (float)c.Double("upper"), mode, check.Version));
                break;
            default:
                throw c.Invalid($"\"fn\" is '{c.String("fn")}', which this handler does not know (split, fold_in, bits, uniform, normal, truncated_normal)");
        }
    }
}
