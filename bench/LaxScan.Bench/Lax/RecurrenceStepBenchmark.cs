using LaxScan.Kernels;
using BenchmarkDotNet.Attributes;
using LaxScan.Nn;
using LaxScan.Random;

namespace LaxScan.Bench.Lax;

/// <summary>One step of the recurrence, <c>h = tanh(h @ W)</c>, per hidden size and thread count (reported per step).</summary>
public class RecurrenceStepBenchmark
{
    private const int Steps = 64;
    private GemvOperator _op = null!;
    private float[] _a = [];
    private float[] _b = [];

    [Params(64, 256, 1024, 4096)]
    public int Hidden { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        NDArray<float> w = Initializers.LecunNormal()(PrngKey.FromSeed(0), new Shape(Hidden, Hidden));
        _op = new GemvOperator(w, Threads);
        _a = [.. Enumerable.Range(0, Hidden).Select(i => MathF.Sin(i))];
        _b = new float[Hidden];
    }

    [GlobalCleanup]
    public void Cleanup() => _op.Dispose();

    [Benchmark(OperationsPerInvoke = Steps)]
    public float Step()
    {
        for (int i = 0; i < Steps; i += 2)
        {
            _op.MultiplyTanh(_a, _b);
            _op.MultiplyTanh(_b, _a);
        }

        return _a[0];
    }
}
