using BenchmarkDotNet.Attributes;

namespace LaxScan.Bench.Lax;

/// <summary>
/// What the transform level (<see cref="TraceContext"/>) costs <c>Lax.Scan</c>: a scan of a trivial body over a
/// small carry, where the level's bookkeeping is the largest share it can ever be, and one read of the level, which a
/// param creation makes. Run before and after a change to the level's storage (issue 10 item 12).
/// </summary>
[MemoryDiagnoser]
public class ScanTransformLevelBenchmark
{
    private readonly NDArray<float> _carry = new(new Shape(4));

    [Params(1, 1000)]
    public int Length { get; set; }

    [Benchmark]
    public NDArray<float> Scan() => LaxScan.Lax.Scan<NDArray<float>>(static c => (c, null), _carry, Length).Carry;

    [Benchmark]
    public int ReadDepth() => TraceContext.Depth;
}
