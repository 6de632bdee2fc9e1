using BenchmarkDotNet.Attributes;
using LaxScan.Numerics;

namespace LaxScan.Bench.Numerics;

/// <summary>
/// Span throughput of the XLA math kernels per SIMD tier. Each operation is one value, so the reported time is
/// nanoseconds per value (1000 / ns = millions of values per second). ErfInv is the bulk of normal sampling.
/// </summary>
[MemoryDiagnoser]
public class XlaMathBenchmarks
{
    // 64K floats: 256 KiB in and out, so the kernels run from L2 and the arithmetic is what is measured.
    private const int Length = 1 << 16;

    private readonly float[] _uniform = new float[Length];
    private readonly float[] _wide = new float[Length];
    private readonly float[] _destination = new float[Length];

    [Params(SimdTier.Scalar, SimdTier.Vector128, SimdTier.Vector256, SimdTier.Vector512)]
    public SimdTier Tier { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // ErfInv sees u in (-1, 1) as the normal sampler gives it; tanh sees pre-activations mostly in (-4, 4).
        var random = new System.Random(1234);
        for (int i = 0; i < Length; i++)
        {
            _uniform[i] = (float)((random.NextDouble() * 2) - 1);
            _wide[i] = _uniform[i] * 4f;
        }
    }

    [Benchmark(OperationsPerInvoke = Length)]
    public void ErfInv() => XlaMath.ErfInv(_uniform, _destination, Tier);

    [Benchmark(OperationsPerInvoke = Length)]
    public void Tanh() => XlaMath.Tanh(_wide, _destination, Tier);

    [Benchmark(OperationsPerInvoke = Length)]
    public void Exp() => XlaMath.Exp(_wide, _destination, Tier);

    [Benchmark(OperationsPerInvoke = Length)]
    public void Logistic() => XlaMath.Logistic(_wide, _destination, Tier);
}
