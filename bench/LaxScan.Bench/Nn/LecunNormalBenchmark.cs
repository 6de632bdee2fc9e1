using BenchmarkDotNet.Attributes;
using LaxScan.Nn;
using LaxScan.Random;

namespace LaxScan.Bench.Nn;

/// <summary>W generation: lecun_normal of a 4096 x 4096 matrix (16.8M values) on one core. Target: >= 150M values/s.</summary>
[MemoryDiagnoser]
public class LecunNormalBenchmark
{
    private readonly Initializer _init = Initializers.LecunNormal();
    private readonly Shape _shape = new(4096, 4096);

    [Params(ThreefryMode.Partitionable, ThreefryMode.Original)]
    public ThreefryMode Mode { get; set; }

    [Benchmark(OperationsPerInvoke = 4096 * 4096)]
    public NDArray<float> LecunNormal4096() => _init(PrngKey.FromSeed(0), _shape, Mode);
}
