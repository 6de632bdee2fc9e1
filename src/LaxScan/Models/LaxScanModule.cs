using LaxScan.Linen;
using LaxScan.Nn;

namespace LaxScan.Models;

/// <summary>
/// The mission module, Flax's
/// <code>
/// class LaxScanModule(nn.Module):
///     hidden: int
///     T: int
///     @nn.compact
///     def __call__(self, x):
///         W = self.param("W", nn.initializers.lecun_normal(), (self.hidden, self.hidden))
///         def body(carry, _):
///             return jnp.tanh(carry @ W), None
///         carry, _ = jax.lax.scan(body, jnp.tanh(x @ W), None, length=self.T)
///         return carry
/// </code>
/// The param is made once, outside the scan; the body closes over W and returns a <c>(carry, None)</c> pair.
/// </summary>
/// <remarks>
/// Input: x of shape (hidden,), or a batch (B, hidden) whose every row gives the bits of its own single run. The
/// module does not project inputs: x must have exactly <see cref="Hidden"/> features. NaN and infinities in x are
/// computed as JAX computes them (they propagate), not rejected.
/// </remarks>
public sealed class LaxScanModule : Module<NDArray<float>, NDArray<float>>
{
    /// <summary>Creates the module.</summary>
    /// <param name="hidden">H, the size of x, of the carry and of each side of W; at least 1.</param>
    /// <param name="steps">T, how many scan steps follow <c>tanh(x @ W)</c>; zero or more.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hidden"/> &lt; 1 or <paramref name="steps"/> &lt; 0.</exception>
    public LaxScanModule(int hidden, long steps)
    {
        if (hidden < 1)
        {
            ThrowHelper.ThrowArgumentOutOfRange($"hidden must be >= 1, but was given {hidden}", nameof(hidden));
        }

        if (steps < 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange($"steps (T) must be >= 0, but was given {steps}", nameof(steps));
        }

        Hidden = hidden;
        Steps = steps;
    }

    /// <summary>H.</summary>
    public int Hidden { get; }

    /// <summary>T.</summary>
    public long Steps { get; }

    /// <summary>How many threads each step may use: 0 picks by size, 1 keeps to the calling thread. The bits are the same either way.</summary>
    public int Threads { get; init; }

    /// <summary>Stops a long run between steps with an <see cref="OperationCanceledException"/>.</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>
    /// Called with the carry after <c>tanh(x @ W)</c> (step 0) and after each scan step (1..T): the scan's per-step
    /// states, shape (T + 1, ...), without holding them in memory.
    /// </summary>
    public StepObserver? OnStep { get; init; }

    /// <summary>W's shape, (H, H).</summary>
    public Shape WeightShape => new(Hidden, Hidden);

    /// <inheritdoc />
    protected override NDArray<float> Call(Scope scope, NDArray<float> input)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(input);
        int batch = CheckInput(input.Shape);
        if (!scope.IsInitializing)
        {
            // Once per call, before the scan: a release whose x @ W LaxScan cannot reproduce is refused, not guessed.
            // Init is not refused: its output is discarded, and W does not depend on how the dot is computed.
            scope.Options.JaxVersion.EnsureVectorMatrixDotIsReproducible(Hidden);
        }

        // Outside the scan body, as the seed writes it: a param made inside the body is a JaxTransformError.
        NDArray<float> w = scope.Param("W", Initializers.LecunNormal(), WeightShape);

        using var gemv = new GemvOperator(w, Threads);
        var carry = new NDArray<float>(input.Shape);
        var spare = new NDArray<float>(input.Shape);
        gemv.MultiplyTanh(input.Data, carry.Data, batch);
        OnStep?.Invoke(0, carry.Span);

        long step = 0;
        CancellationToken cancel = CancellationToken;
        StepObserver? observe = OnStep;
        (NDArray<float> final, _) = Lax.Scan(
            c =>
            {
                cancel.ThrowIfCancellationRequested();
                // Two buffers take turns, so no step allocates: the output never aliases the input it reads.
                NDArray<float> next = ReferenceEquals(c, carry) ? spare : carry;
                gemv.MultiplyTanh(c.Data, next.Data, batch);
                observe?.Invoke(++step, next.Span);
                return (next, null);
            },
            carry,
            Steps);
        return final;
    }

    /// <summary>
    /// The number of independent runs an input of this shape holds: 1 for (H,), B for (B, H). Lets a caller refuse a
    /// wrong x before it starts anything costly.
    /// </summary>
    /// <exception cref="ArgumentException">The shape is neither (H,) nor (B, H) with B &gt;= 1.</exception>
    public int CheckInput(Shape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        bool vector = shape.Rank == 1 && shape[0] == Hidden;
        bool rows = shape.Rank == 2 && shape[1] == Hidden && shape[0] >= 1;
        if (!vector && !rows)
        {
            ThrowHelper.ThrowArgument(
                $"LaxScanModule(hidden={Hidden}) takes x of shape ({Hidden},) or (B, {Hidden}) with B >= 1, but x has shape {shape}; the module does not project inputs, so x must have exactly hidden={Hidden} features",
                "x");
        }

        return shape.Rank == 1 ? 1 : shape[0];
    }
}

/// <summary>Sees one state of a scan: <paramref name="step"/> 0 is the initial carry, then 1..T.</summary>
/// <param name="step">The step number.</param>
/// <param name="state">The carry after that step; valid only during the call.</param>
public delegate void StepObserver(long step, ReadOnlySpan<float> state);
