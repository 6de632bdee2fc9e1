using LaxScan.Random;
using LaxScan.Threading;

namespace LaxScan.Linen.Recurrent;

/// <summary>
/// The arguments of <c>nn.RNN.__call__</c> and <c>nn.Bidirectional.__call__</c>: the inputs and the keyword arguments
/// that override the module's attributes for one call (null: use the module's).
/// </summary>
/// <param name="Inputs">
/// The sequence: <c>(*batch, time, features)</c>, or <c>(time, *batch, features)</c> when time-major. One sequence
/// <c>(time, features)</c> is the bit-exact case; each row of a batch gets its own sequence's bits.
/// </param>
public sealed record RnnInput(NDArray<float> Inputs)
{
    /// <summary><c>initial_carry</c>: the first carry (for nn.Bidirectional, the forward RNN's); null: the cell's <c>initialize_carry</c>.</summary>
    public RnnCarry? InitialCarry { get; init; }

    /// <summary>For nn.Bidirectional only: the backward RNN's initial carry (Flax's <c>initial_carry</c> is the pair).</summary>
    public RnnCarry? BackwardInitialCarry { get; init; }

    /// <summary><c>init_key</c>: the key for <c>initialize_carry</c>; null: <c>jax.random.key(0)</c>. Zero carries ignore it.</summary>
    public PrngKey? InitKey { get; init; }

    /// <summary>
    /// <c>seq_lengths</c>: one length per batch row (one value for a single sequence). Steps past a row's length are
    /// padding: still computed, as in Flax, but kept at the end when reversing, and skipped by the returned carry.
    /// </summary>
    public long[]? SeqLengths { get; init; }

    /// <summary><c>return_carry</c>.</summary>
    public bool? ReturnCarry { get; init; }

    /// <summary><c>time_major</c>.</summary>
    public bool? TimeMajor { get; init; }

    /// <summary><c>reverse</c> (nn.RNN only).</summary>
    public bool? Reverse { get; init; }

    /// <summary><c>keep_order</c> (nn.RNN only).</summary>
    public bool? KeepOrder { get; init; }

    /// <summary>The thread team of an enclosing run (nn.Bidirectional's, shared by its two RNNs); null: the RNN's own.</summary>
    internal RunTeam? Team { get; init; }

    /// <summary>Just the inputs, every other argument from the module.</summary>
    public static implicit operator RnnInput(NDArray<float> inputs) => new(inputs);
}

/// <summary>What nn.RNN returns: the outputs and, with <c>return_carry</c>, the carry.</summary>
/// <param name="Outputs">The outputs, the shape of the inputs with H features.</param>
/// <param name="Carry">The final carry (with seq_lengths, each row's carry after its last valid step), or null.</param>
public sealed record RnnOutput(NDArray<float> Outputs, RnnCarry? Carry);

/// <summary>What nn.Bidirectional returns: the merged outputs and, with <c>return_carry</c>, both carries.</summary>
/// <param name="Outputs">The forward and backward outputs concatenated along the last axis.</param>
/// <param name="ForwardCarry">The forward RNN's carry, or null.</param>
/// <param name="BackwardCarry">The backward RNN's carry, or null.</param>
public sealed record BidirectionalOutput(NDArray<float> Outputs, RnnCarry? ForwardCarry, RnnCarry? BackwardCarry);
