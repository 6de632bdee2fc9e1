using BenchmarkDotNet.Attributes;
using LaxScan.Kernels;
using LaxScan.Linen;
using LaxScan.Linen.Recurrent;
using LaxScan.Linen.Recurrent.Kernels;
using LaxScan.Nn;
using LaxScan.Random;
using LaxScan.Threading;

namespace LaxScan.Bench.Linen;

/// <summary>
/// One recurrent step of each Flax cell against the GEMVs that step needs as Flax writes it (LSTMCell: four x @ W_i
/// and four h @ W_h, each (H, H); GRUCell: three and three; ...; OptimizedLSTMCell: two (H, 4H)), with F = H, one
/// thread. The target is Step at most 1.5x Gemvs. Step is what an RNN runs per step: its share of a 32-step chunk of
/// input projections (biases added in the GEMV's epilogue), then the recurrent dots (the biases or projections added
/// in their epilogue) and the elementwise rest of the step; it allocates nothing.
/// </summary>
[MemoryDiagnoser]
public class CellStepBenchmark
{
    private const int Steps = 32;
    private RunTeam _team = null!;
    private CellProgram _program = null!;
    private CellState _state = null!;
    private float[] _x = [];
    private float[] _p = [];
    private GemvOperator[] _inputGemvs = [];
    private GemvOperator[] _recurrentGemvs = [];
    private float[] _gemvIn = [];
    private float[] _gemvOut = [];

    [Params("simple", "gru", "mgu", "lstm", "optimized-lstm")]
    public string Cell { get; set; } = "lstm";

    [Params(256)]
    public int Hidden { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Initializer init = Initializers.Normal(0.1f);
        RecurrentCell cell = Cell switch
        {
            "simple" => new SimpleCell(Hidden) { RecurrentKernelInit = init, BiasInit = init, Threads = 1 },
            "gru" => new GruCell(Hidden) { RecurrentKernelInit = init, BiasInit = init, Threads = 1 },
            "mgu" => new MguCell(Hidden) { RecurrentKernelInit = init, Threads = 1 },
            "lstm" => new LstmCell(Hidden) { RecurrentKernelInit = init, BiasInit = init, Threads = 1 },
            _ => new OptimizedLstmCell(Hidden) { RecurrentKernelInit = init, BiasInit = init, Threads = 1 },
        };
        var xs = new NDArray<float>(new Shape(Steps, Hidden));
        var rnn = new Rnn(cell);
        Variables variables = rnn.Init(PrngKey.FromSeed(0), xs);
        _team = new RunTeam(1);
        var probe = new BindProbe(cell, Hidden, _team);
        _program = probe.Apply(Variables.Empty.With("params", variables.GetDict("params", "cell")), 0);
        _state = new CellState(Hidden, _program.CarryCount);
        _x = [.. JaxRandom.Normal(PrngKey.FromSeed(1), new Shape(Steps * Hidden)).Data];
        _p = new float[Steps * _program.ProjectionWidth];

        // One matrix per Flax dot, as the cell has them, so the baseline moves as much memory as the step does.
        (int gates, int recurrentGates, int width) = Cell switch
        {
            "simple" => (1, 1, Hidden),
            "gru" => (3, 3, Hidden),
            "mgu" => (2, 2, Hidden),
            "lstm" => (4, 4, Hidden),
            _ => (1, 1, 4 * Hidden),
        };
        GemvOperator Gemv(int i) => new(Initializers.Normal(0.1f)(PrngKey.FromSeed((uint)(2 + i)), new Shape(Hidden, width)), 1);
        _inputGemvs = [.. Enumerable.Range(0, gates).Select(Gemv)];
        _recurrentGemvs = [.. Enumerable.Range(0, recurrentGates).Select(i => Gemv(100 + i))];
        _gemvIn = _x[..Hidden];
        _gemvOut = new float[width];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _program.Dispose();
        _team.Dispose();
        foreach (GemvOperator op in _inputGemvs.Concat(_recurrentGemvs))
        {
            op.Dispose();
        }
    }

    /// <summary>Per step: the cell's own dots and elementwise step, input projections batched 32 steps at a time.</summary>
    [Benchmark(OperationsPerInvoke = Steps)]
    public float Step()
    {
        int width = _program.ProjectionWidth;
        _program.Project(_x, Steps, _p, default);
        for (int t = 0; t < Steps; t++)
        {
            _program.Step(_p, t * width, _state);
            _state.Advance();
        }

        return _state.H[0];
    }

    /// <summary>Per step: the input projections alone (a 32-step chunk per call).</summary>
    [Benchmark(OperationsPerInvoke = Steps)]
    public float ProjectOnly()
    {
        _program.Project(_x, Steps, _p, default);
        return _p[0];
    }

    /// <summary>Per step: the recurrent dots and elementwise step alone, from projections already made.</summary>
    [Benchmark(OperationsPerInvoke = Steps)]
    public float RecurrentOnly()
    {
        int width = _program.ProjectionWidth;
        for (int t = 0; t < Steps; t++)
        {
            _program.Step(_p, t * width, _state);
            _state.Advance();
        }

        return _state.H[0];
    }

    /// <summary>Per step: the cell's GEMVs alone, one call per Flax dot (identity epilogue), the input ones included.</summary>
    [Benchmark(Baseline = true)]
    public float Gemvs()
    {
        foreach (GemvOperator op in _inputGemvs)
        {
            op.Multiply(_gemvIn, _gemvOut);
        }

        foreach (GemvOperator op in _recurrentGemvs)
        {
            op.Multiply(_gemvIn, _gemvOut);
        }

        return _gemvOut[0];
    }

    /// <summary>Binds the cell's params from given variables, outside any scan.</summary>
    private sealed class BindProbe(RecurrentCell cell, int hidden, RunTeam team) : Module<int, CellProgram>
    {
        protected override CellProgram Call(Scope scope, int input) => cell.Bind(scope, hidden, hidden, team);
    }
}
