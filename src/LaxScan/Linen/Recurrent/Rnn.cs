using LaxScan.Linen.Transforms;
using LaxScan.Random;

namespace LaxScan.Linen.Recurrent;

/// <summary>
/// Flax's <c>nn.RNN(cell)</c> (flax/linen/recurrent.py): runs the cell over the time axis with <c>nn.scan</c>
/// (<c>variable_broadcast="params"</c>, <c>split_rngs={"params": False}</c>), the cell named <c>cell</c>, so its params
/// are <c>params/cell/ii/kernel</c> and so on (<c>params/forward_rnn/cell/...</c> inside <see cref="Bidirectional"/>).
/// </summary>
/// <remarks>
/// <para>
/// Call it with an <see cref="RnnInput"/> (or just the inputs). <c>reverse</c> flips the inputs first (keeping each
/// row's padding at the end, see <see cref="FlipSequences.Flip"/>); <c>keep_order</c> flips the outputs back;
/// <c>return_carry</c> also returns the carry, which with <c>seq_lengths</c> is each row's carry after its last valid
/// step. Padded steps are computed, as in Flax: their outputs are returned as they come.
/// </para>
/// <para>
/// Cancellation: the token given to <c>Init</c> or <c>Apply</c> (<see cref="Scope.CancellationToken"/>) is checked
/// before every step.
/// </para>
/// <para>
/// One sequence <c>(T, F)</c> gives JAX's bits; a batch gives every row the bits of its own sequence (JAX's batched
/// dots are matrix products, YNNPACK's from 8 rows up, with another summation order). See docs/parity.md.
/// </para>
/// </remarks>
public sealed class Rnn : Module<RnnInput, RnnOutput>
{
    /// <summary>Creates the RNN.</summary>
    /// <param name="cell">The cell run at each step.</param>
    public Rnn(RecurrentCell cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        Cell = cell;
    }

    /// <summary>The cell.</summary>
    public RecurrentCell Cell { get; }

    /// <summary><c>time_major</c>: inputs are <c>(time, *batch, features)</c> (default: <c>(*batch, time, features)</c>).</summary>
    public bool TimeMajor { get; init; }

    /// <summary><c>return_carry</c>: also return the carry.</summary>
    public bool ReturnCarry { get; init; }

    /// <summary><c>reverse</c>: process the sequence from its end; the outputs stay in processed order unless <see cref="KeepOrder"/>.</summary>
    public bool Reverse { get; init; }

    /// <summary><c>keep_order</c>: with <see cref="Reverse"/>, flip the outputs back to the input order.</summary>
    public bool KeepOrder { get; init; }

    /// <summary><c>unroll</c>, passed to nn.scan: at least 1; it never changes the bits.</summary>
    public int Unroll { get; init; } = 1;

    /// <summary>Sees the carry after every step (for progress or a trace).</summary>
    public RnnStepObserver? OnStep { get; init; }

    internal override string TypeName => "RNN";

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The inputs have no time or feature axis, or the lengths or carry do not fit them.</exception>
    protected override RnnOutput Call(Scope scope, RnnInput input)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(input);
        NDArray<float> inputs = input.Inputs ?? throw new ArgumentNullException(nameof(input), "RnnInput.Inputs is null");
        bool returnCarry = input.ReturnCarry ?? ReturnCarry;
        bool timeMajor = input.TimeMajor ?? TimeMajor;
        bool reverse = input.Reverse ?? Reverse;
        bool keepOrder = input.KeepOrder ?? KeepOrder;
        if (Unroll < 1)
        {
            ThrowHelper.ThrowArgumentOutOfRange($"unroll must be >= 1, but was given {Unroll}", nameof(Unroll));
        }

        Shape shape = inputs.Shape;
        if (shape.Rank < 2)
        {
            ThrowHelper.ThrowArgument($"nn.RNN takes inputs of shape (*batch, time, features) or time-major (time, *batch, features), but got {shape}", "inputs");
        }

        // Flax: time_axis = 0 if time_major else inputs.ndim - (num_feature_axes + 1), with one feature axis.
        int timeAxis = timeMajor ? 0 : shape.Rank - 2;
        int batchDims = shape.Rank - 2;
        long batch = shape.Size / Math.Max(1, (long)shape[timeAxis] * shape[-1]);
        if (shape[timeAxis] == 0 || shape[-1] == 0)
        {
            batch = 1;
            for (int a = 0; a < shape.Rank; a++)
            {
                batch *= a == timeAxis || a == shape.Rank - 1 ? 1 : shape[a];
            }
        }

        long[] lengths = FlipSequences.LengthsPerRow(input.SeqLengths, batch);
        if (reverse)
        {
            inputs = FlipSequences.Flip(inputs, input.SeqLengths, batchDims, timeMajor);
        }

        var stepShape = new Shape([.. shape.Dimensions[..timeAxis], .. shape.Dimensions[(timeAxis + 1)..]]);
        RnnCarry carry = input.InitialCarry ?? Cell.InitializeCarry(input.InitKey ?? PrngKey.FromSeed(0), stepShape, scope.Options.ThreefryMode);
        bool sliceCarry = input.SeqLengths is not null && returnCarry;
        if (sliceCarry && batchDims > 1)
        {
            throw new NotSupportedException($"return_carry with seq_lengths takes at most one batch axis (Flax's _select_last_carry indexes x[last_idx, arange(x.shape[1])]), but the inputs have {batchDims}: {shape}");
        }

        int steps = shape[timeAxis];
        var hooks = new SequenceHooks
        {
            Cancellation = scope.CancellationToken,
            OnStep = OnStep,
            Team = input.Team,
            KeepCarryAt = sliceCarry ? [.. lengths.Select(l => FlipSequences.LastCarryStep(l, steps))] : null,
        };
        NDArray<float> front = Axes.Move(inputs, timeAxis, 0);
        SequenceRun run = scope.CallAs(new CellScan(Cell, Unroll), "cell", (carry, front, hooks));
        NDArray<float> outputs = Axes.Move(run.Ys, 0, timeAxis);
        if (reverse && keepOrder)
        {
            outputs = FlipSequences.Flip(outputs, input.SeqLengths, batchDims, timeMajor);
        }

        return new RnnOutput(outputs, returnCarry ? (sliceCarry ? run.Kept : run.Final) : null);
    }

    /// <summary>The cell's scope in nn.RNN: <c>transforms.scan(scan_fn, ...)(self.cell, carry, inputs)</c> lifts it.</summary>
    private sealed class CellScan(RecurrentCell cell, int unroll) : Module<(RnnCarry Carry, NDArray<float> Xs, SequenceHooks Hooks), SequenceRun>
    {
        internal override string TypeName => cell.ClassName;

        protected override SequenceRun Call(Scope scope, (RnnCarry Carry, NDArray<float> Xs, SequenceHooks Hooks) input) =>
            SequenceScan.Run(scope, cell, ScanOptions.Default with { Unroll = unroll }, input.Carry, input.Xs, input.Hooks);
    }
}
