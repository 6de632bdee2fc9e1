using LaxScan.Threading;

namespace LaxScan.Linen.Recurrent;

/// <summary>
/// Sees the carry after each step of a recurrent run: <paramref name="step"/> counts the steps run so far by this
/// module (1, 2, ... over every batch row in turn), <paramref name="c"/> is an LSTM's memory (empty for other cells)
/// and <paramref name="h"/> the hidden state, both valid only during the call.
/// </summary>
/// <param name="step">The number of steps run so far, this one included.</param>
/// <param name="c">The LSTM memory c, or empty.</param>
/// <param name="h">The hidden state h.</param>
public delegate void RnnStepObserver(long step, ReadOnlySpan<float> c, ReadOnlySpan<float> h);

/// <summary>What a sequence run reports to and takes from its caller besides the numbers.</summary>
internal sealed class SequenceHooks
{
    /// <summary>Checked before each step.</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>Called after each step.</summary>
    public RnnStepObserver? OnStep { get; init; }

    /// <summary>
    /// For each batch row, the time index (in the scanned order) whose carry to keep, or -1 for a row whose index is
    /// out of range (its kept carry is NaN, as JAX's gather fills). Null keeps none.
    /// </summary>
    public long[]? KeepCarryAt { get; init; }

    /// <summary>
    /// The thread team of the whole run (both RNNs of a Bidirectional share one), or null: the sequence run then starts
    /// its own for its cell.
    /// </summary>
    public RunTeam? Team { get; init; }

    /// <summary>Steps run so far.</summary>
    public long Steps { get; set; }
}

/// <summary>The result of a sequence run: the final carry, the stacked outputs (T, *batch, H) and the kept carries.</summary>
internal sealed record SequenceRun(RnnCarry Final, NDArray<float> Ys, RnnCarry? Kept);
