using LaxScan.Linen;
using LaxScan.Linen.Recurrent;
using LaxScan.Nn;
using LaxScan.Random;

namespace LaxScan.Models;

/// <summary>Which Flax cell a <see cref="RecurrentModel"/> runs.</summary>
public enum RecurrentCellKind
{
    /// <summary><c>nn.SimpleCell</c>.</summary>
    Simple,

    /// <summary><c>nn.GRUCell</c>.</summary>
    Gru,

    /// <summary><c>nn.MGUCell</c>.</summary>
    Mgu,

    /// <summary><c>nn.LSTMCell</c>.</summary>
    Lstm,

    /// <summary><c>nn.OptimizedLSTMCell</c>.</summary>
    OptimizedLstm,
}

/// <summary>
/// The common Flax recurrent models as one description: <c>nn.RNN(Cell(hidden))</c>, or with <see cref="Bidirectional"/>
/// <c>nn.Bidirectional(nn.RNN(Cell(hidden)), nn.RNN(Cell(hidden)))</c>, at the root of the variables (params under
/// <c>cell</c>, or <c>forward_rnn/cell</c> and <c>backward_rnn/cell</c>). <c>laxscan rnn</c> is this class.
/// </summary>
/// <param name="Cell">The cell.</param>
/// <param name="Hidden">H, the cell's features.</param>
public sealed record RecurrentModel(RecurrentCellKind Cell, int Hidden)
{
    /// <summary>Two RNNs, forward and backward, outputs concatenated.</summary>
    public bool Bidirectional { get; init; }

    /// <summary>MGUCell's <c>reset_gate</c> (default true).</summary>
    public bool ResetGate { get; init; } = true;

    /// <summary>SimpleCell's <c>residual</c> (default false).</summary>
    public bool Residual { get; init; }

    /// <summary>The recurrent kernels' initializer for <see cref="Init"/>; null is Flax's default <c>orthogonal()</c>, which is not JAX's bits.</summary>
    public Initializer? RecurrentKernelInit { get; init; }

    /// <summary>Threads per GEMV: 0 picks by size. The bits are the same for every count.</summary>
    public int Threads { get; init; }

    /// <summary>Sees the carry after every step of every RNN (the forward RNN's steps first).</summary>
    public RnnStepObserver? OnStep { get; init; }

    /// <summary>How many arrays a carry holds: 2 for the LSTMs' (c, h), else 1.</summary>
    public int CarryCount => Cell is RecurrentCellKind.Lstm or RecurrentCellKind.OptimizedLstm ? 2 : 1;

    /// <summary>The cell this model uses.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="Hidden"/> &lt; 1 or an unknown kind.</exception>
    public RecurrentCell CreateCell()
    {
        Initializer recurrent = RecurrentKernelInit ?? Initializers.Orthogonal();
        return Cell switch
        {
            RecurrentCellKind.Simple => new SimpleCell(Hidden) { Residual = Residual, RecurrentKernelInit = recurrent, Threads = Threads },
            RecurrentCellKind.Gru => new GruCell(Hidden) { RecurrentKernelInit = recurrent, Threads = Threads },
            RecurrentCellKind.Mgu => new MguCell(Hidden) { ResetGate = ResetGate, RecurrentKernelInit = recurrent, Threads = Threads },
            RecurrentCellKind.Lstm => new LstmCell(Hidden) { RecurrentKernelInit = recurrent, Threads = Threads },
            RecurrentCellKind.OptimizedLstm => new OptimizedLstmCell(Hidden) { RecurrentKernelInit = recurrent, Threads = Threads },
            _ => throw new ArgumentOutOfRangeException(nameof(Cell), Cell, "unknown cell kind"),
        };
    }

    /// <summary>
    /// <c>model.init(key, x)</c> for inputs with <paramref name="inputFeatures"/> features: the variables, and the params
    /// that are not JAX's bits (the recurrent kernels, unless <see cref="RecurrentKernelInit"/> is bit-exact).
    /// </summary>
    /// <param name="key">The <c>params</c> stream's key.</param>
    /// <param name="inputFeatures">F, the inputs' features.</param>
    /// <param name="options">The threefry mode, RNG separator and JAX release; null for the defaults.</param>
    /// <param name="cancellationToken">Checked before anything runs and between steps of init's run.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public InitReport<NDArray<float>> Init(PrngKey key, int inputFeatures, LinenOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (inputFeatures < 1)
        {
            ThrowHelper.ThrowArgumentOutOfRange($"the input must have at least 1 feature, but was given {inputFeatures}", nameof(inputFeatures));
        }

        var x = new NDArray<float>(new Shape(1, inputFeatures));
        if (Bidirectional)
        {
            InitReport<BidirectionalOutput> bi = CreateBidirectional().InitWithReport(key, x, options, cancellationToken);
            return new InitReport<NDArray<float>>(bi.Output.Outputs, bi.Variables, bi.NotJaxBits);
        }

        InitReport<RnnOutput> one = CreateRnn().InitWithReport(key, x, options, cancellationToken);
        return new InitReport<NDArray<float>>(one.Output.Outputs, one.Variables, one.NotJaxBits);
    }

    /// <summary><c>model.apply(variables, inputs, ...)</c>: the outputs and, with return_carry, the carries by name.</summary>
    /// <param name="variables">The variables, as a Flax checkpoint holds them.</param>
    /// <param name="input">The inputs and call arguments; <c>Reverse</c> and <c>KeepOrder</c> apply to a one-way RNN.</param>
    /// <param name="cancellationToken">Checked before anything runs and before every step.</param>
    /// <returns>The outputs, and the carries (<c>carry</c>, or <c>forward</c> and <c>backward</c>) when asked for.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public RecurrentResult Apply(Variables variables, RnnInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(variables);
        ArgumentNullException.ThrowIfNull(input);
        if (Bidirectional)
        {
            BidirectionalOutput bi = CreateBidirectional().Apply(variables, input, cancellationToken: cancellationToken);
            return new RecurrentResult(bi.Outputs, bi.ForwardCarry is null ? null : [("forward", bi.ForwardCarry), ("backward", bi.BackwardCarry!)]);
        }

        RnnOutput one = CreateRnn().Apply(variables, input, cancellationToken: cancellationToken);
        return new RecurrentResult(one.Outputs, one.Carry is null ? null : [("carry", one.Carry)]);
    }

    private Rnn CreateRnn() => new(CreateCell()) { OnStep = OnStep };

    private Bidirectional CreateBidirectional()
    {
        // Both RNNs report to one observer, so steps count on across the two directions.
        long offset = 0;
        RnnStepObserver? forward = OnStep is null ? null : (step, c, h) =>
        {
            offset = step;
            OnStep(step, c, h);
        };
        RnnStepObserver? backward = OnStep is null ? null : (step, c, h) => OnStep(offset + step, c, h);
        return new Bidirectional(
            new Rnn(CreateCell()) { OnStep = forward },
            new Rnn(CreateCell()) { OnStep = backward });
    }
}

/// <summary>What <see cref="RecurrentModel.Apply"/> returns.</summary>
/// <param name="Outputs">The outputs.</param>
/// <param name="Carries">With return_carry, the carries: <c>("carry", ...)</c>, or <c>("forward", ...)</c> and <c>("backward", ...)</c>.</param>
public sealed record RecurrentResult(NDArray<float> Outputs, IReadOnlyList<(string Name, RnnCarry Carry)>? Carries);
