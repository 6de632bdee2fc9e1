using LaxScan.Threading;

namespace LaxScan.Linen.Recurrent;

/// <summary>
/// Flax's <c>nn.Bidirectional(forward_rnn, backward_rnn)</c> with its default merge (concatenation on the last axis):
/// the forward RNN over the inputs, the backward RNN with <c>reverse=True, keep_order=True</c>, both with
/// <c>return_carry=True</c>. Their params are under <c>forward_rnn</c> and <c>backward_rnn</c>
/// (<c>params/forward_rnn/cell/ii/kernel</c>).
/// </summary>
public sealed class Bidirectional : Module<RnnInput, BidirectionalOutput>
{
    /// <summary>Creates the module.</summary>
    /// <param name="forwardRnn">The RNN run forward.</param>
    /// <param name="backwardRnn">The RNN run backward.</param>
    public Bidirectional(Rnn forwardRnn, Rnn backwardRnn)
    {
        ArgumentNullException.ThrowIfNull(forwardRnn);
        ArgumentNullException.ThrowIfNull(backwardRnn);
        ForwardRnn = forwardRnn;
        BackwardRnn = backwardRnn;
    }

    /// <summary>The forward RNN (<c>forward_rnn</c>).</summary>
    public Rnn ForwardRnn { get; }

    /// <summary>The backward RNN (<c>backward_rnn</c>).</summary>
    public Rnn BackwardRnn { get; }

    /// <summary><c>time_major</c>.</summary>
    public bool TimeMajor { get; init; }

    /// <summary><c>return_carry</c>: also return both carries.</summary>
    public bool ReturnCarry { get; init; }

    internal override string TypeName => "Bidirectional";

    /// <inheritdoc />
    protected override BidirectionalOutput Call(Scope scope, RnnInput input)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(input);
        bool timeMajor = input.TimeMajor ?? TimeMajor;
        bool returnCarry = input.ReturnCarry ?? ReturnCarry;

        // init_key is split in two when given; otherwise each RNN uses its own default.
        Random.PrngKey? forwardKey = null, backwardKey = null;
        if (input.InitKey is { } key)
        {
            Random.PrngKey[] keys = key.Split(2, scope.Options.ThreefryMode);
            (forwardKey, backwardKey) = (keys[0], keys[1]);
        }

        // One thread team for both directions: they run one after the other.
        using var team = new RunTeam(ForwardRnn.Cell.Threads, BackwardRnn.Cell.Threads);
        RnnOutput forward = scope.CallAs(ForwardRnn, "forward_rnn", new RnnInput(input.Inputs)
        {
            Team = team,
            InitialCarry = input.InitialCarry,
            InitKey = forwardKey,
            SeqLengths = input.SeqLengths,
            ReturnCarry = true,
            TimeMajor = timeMajor,
            Reverse = false,
        });
        RnnOutput backward = scope.CallAs(BackwardRnn, "backward_rnn", new RnnInput(input.Inputs)
        {
            Team = team,
            InitialCarry = input.BackwardInitialCarry,
            InitKey = backwardKey,
            SeqLengths = input.SeqLengths,
            ReturnCarry = true,
            TimeMajor = timeMajor,
            Reverse = true,
            KeepOrder = true,
        });
        NDArray<float> merged = ConcatenateLastAxis(forward.Outputs, backward.Outputs);
        return new BidirectionalOutput(merged, returnCarry ? forward.Carry : null, returnCarry ? backward.Carry : null);
    }

    /// <summary>The default <c>merge_fn</c>: <c>jnp.concatenate([a, b], axis=-1)</c>.</summary>
    private static NDArray<float> ConcatenateLastAxis(NDArray<float> a, NDArray<float> b)
    {
        int wa = a.Shape[-1];
        int wb = b.Shape[-1];
        long rows = wa == 0 ? b.Shape.Size / Math.Max(1, wb) : a.Shape.Size / wa;
        var result = new NDArray<float>(new Shape([.. a.Shape.Dimensions[..^1], wa + wb]));
        for (long r = 0; r < rows; r++)
        {
            a.Span.Slice((int)(r * wa), wa).CopyTo(result.Span.Slice((int)(r * (wa + wb)), wa));
            b.Span.Slice((int)(r * wb), wb).CopyTo(result.Span.Slice((int)((r * (wa + wb)) + wa), wb));
        }

        return result;
    }
}
