using LaxScan.Kernels;
using LaxScan.Linen;
using LaxScan.Nn;
using LaxScan.Random;

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

    /// <summary>W's shape, (H, H).</summary>
    public Shape WeightShape => new(Hidden, Hidden);

    /// <summary><c>init(key, x)</c> with per-call options: threads and cancellation (an observer given here sees init's run).</summary>
    /// <param name="key">The <c>params</c> stream's key.</param>
    /// <param name="x">An input of shape (H,) or (B, H).</param>
    /// <param name="run">Threads, cancellation and step observer for this call.</param>
    /// <param name="options">The threefry mode and RNG separator; null for the defaults.</param>
    /// <returns>The variables, <c>{"params": {"W": (H, H)}}</c>.</returns>
    public Variables Init(PrngKey key, NDArray<float> x, LaxScanRunOptions run, LinenOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        return InitWithOutput(new Dictionary<string, PrngKey>(StringComparer.Ordinal) { ["params"] = key }, x, options, (scope, input) => Run(scope, input, run)).Variables;
    }

    /// <summary><c>apply(variables, x)</c> with per-call options: threads, cancellation and a step observer.</summary>
    /// <param name="variables">The variables, <c>{"params": {"W": (H, H)}}</c>.</param>
    /// <param name="x">The input, shape (H,) or (B, H).</param>
    /// <param name="run">Threads, cancellation and step observer for this call.</param>
    /// <param name="options">The threefry mode and RNG separator; null for the defaults.</param>
    /// <returns>The final carry, the shape of x.</returns>
    /// <exception cref="ScopeParamShapeError">W's shape is not (H, H).</exception>
    /// <exception cref="OperationCanceledException">The run's token was cancelled.</exception>
    public NDArray<float> Apply(Variables variables, NDArray<float> x, LaxScanRunOptions run, LinenOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        return Apply(variables, x, null, options, (scope, input) => Run(scope, input, run));
    }

    /// <inheritdoc />
    protected override NDArray<float> Call(Scope scope, NDArray<float> input) => Run(scope, input, LaxScanRunOptions.Default);

    private NDArray<float> Run(Scope scope, NDArray<float> input, LaxScanRunOptions run)
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

        // The panel copy of W pays back over a few steps, not for init's single product.
        using var gemv = new GemvOperator(w, run.Threads, null, run.Team, panels: Steps >= 2, batchHint: batch);
        var carry = new NDArray<float>(input.Shape);
        var spare = new NDArray<float>(input.Shape);
        CancellationToken cancel = run.CancellationToken;
        cancel.ThrowIfCancellationRequested();
        bool tiny = gemv.RunOwned<GemvEpilogues.Tanh>(input.Data, carry.Data, batch, xClean: false, cancel);
        run.OnStep?.Invoke(0, carry.Span);

        var body = new Recurrence(gemv, carry, spare, batch, tiny, run.OnStep, cancel);
        Lax.ScanInPlace(ref body, Steps);
        return body.Carry;
    }

    /// <summary>
    /// The scan body <c>carry = tanh(carry @ W)</c>: two buffers take turns, so no step allocates (the output never
    /// aliases the input it reads), and whether the carry holds a tiny value comes from the kernel's own store, so
    /// the next step need not scan it again.
    /// </summary>
    private struct Recurrence(GemvOperator gemv, NDArray<float> carry, NDArray<float> spare, int batch, bool tiny, StepObserver? observe, CancellationToken cancel) : IScanBody
    {
        private NDArray<float> _carry = carry;
        private NDArray<float> _spare = spare;
        private bool _tiny = tiny;

        public readonly NDArray<float> Carry => _carry;

        public void Step(long step)
        {
            cancel.ThrowIfCancellationRequested();
            _tiny = gemv.RunOwned<GemvEpilogues.Tanh>(_carry.Data, _spare.Data, batch, xClean: !_tiny, cancel);
            (_carry, _spare) = (_spare, _carry);
            observe?.Invoke(step + 1, _carry.Span);
        }
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
