using System.Buffers;
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

    /// <summary><c>init(key, x)</c> with per-call options: threads (an observer given here sees init's run).</summary>
    /// <param name="key">The <c>params</c> stream's key.</param>
    /// <param name="x">An input of shape (H,) or (B, H).</param>
    /// <param name="run">Threads and step observer for this call.</param>
    /// <param name="options">The threefry mode and RNG separator; null for the defaults.</param>
    /// <param name="cancellationToken">Stops the run between steps; checked before anything runs.</param>
    /// <returns>The variables, <c>{"params": {"W": (H, H)}}</c>.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public Variables Init(PrngKey key, NDArray<float> x, LaxScanRunOptions run, LinenOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        return InitWithOutput(new Dictionary<string, PrngKey>(StringComparer.Ordinal) { ["params"] = key }, x, options, (scope, input) => Run(scope, input, run), cancellationToken).Variables;
    }

    /// <summary><c>apply(variables, x)</c> with per-call options: threads and a step observer.</summary>
    /// <param name="variables">The variables, <c>{"params": {"W": (H, H)}}</c>.</param>
    /// <param name="x">The input, shape (H,) or (B, H).</param>
    /// <param name="run">Threads and step observer for this call.</param>
    /// <param name="options">The threefry mode and RNG separator; null for the defaults.</param>
    /// <param name="cancellationToken">Stops the run between steps (and between blocks of rows of a large batch); checked before anything runs, also for T = 0.</param>
    /// <returns>The final carry, the shape of x.</returns>
    /// <exception cref="ScopeParamShapeError">W's shape is not (H, H).</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public NDArray<float> Apply(Variables variables, NDArray<float> x, LaxScanRunOptions run, LinenOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        return Apply(variables, x, null, options, (scope, input) => Run(scope, input, run), cancellationToken);
    }

    /// <summary>
    /// <c>apply(variables, x)</c> into <paramref name="destination"/>: x holds one input (H values) or B inputs of H
    /// values, row after row, and the final carries go to <paramref name="destination"/> (the same length), so no
    /// result array is allocated.
    /// </summary>
    internal void Apply(Variables variables, ReadOnlySpan<float> x, Span<float> destination, LaxScanRunOptions run, LinenOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        int batch = CheckInput(x.Length, destination.Length);

        // Flax's apply (its checks of the variables, W's shape, the release) resolves W; the recurrence runs on the spans.
        NDArray<float> w = Apply(variables, (NDArray<float>)null!, null, options, (scope, _) => Weights(scope), cancellationToken);
        Recur(w, x, destination, batch, run, cancellationToken);
    }

    /// <summary>W as <c>init</c> makes it, without running the recurrence (W does not depend on x or T).</summary>
    internal Variables InitWeights(PrngKey key, LinenOptions? options, CancellationToken cancellationToken) =>
        InitWithOutput(new Dictionary<string, PrngKey>(StringComparer.Ordinal) { ["params"] = key }, (NDArray<float>)null!, options, (scope, _) => Weights(scope), cancellationToken).Variables;

    /// <inheritdoc />
    protected override NDArray<float> Call(Scope scope, NDArray<float> input) => Run(scope, input, LaxScanRunOptions.Default);

    private NDArray<float> Run(Scope scope, NDArray<float> input, LaxScanRunOptions run)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(input);
        int batch = CheckInput(input.Shape);
        NDArray<float> w = Weights(scope);
        var carry = new NDArray<float>(input.Shape);
        Recur(w, input.Span, carry.Span, batch, run, scope.CancellationToken);
        return carry;
    }

    /// <summary>The param W, made once, outside the scan, as the seed writes it; in apply, the release is checked first.</summary>
    private NDArray<float> Weights(Scope scope)
    {
        if (!scope.IsInitializing)
        {
            // Once per call, before the scan: a release whose x @ W LaxScan cannot reproduce is refused, not guessed.
            // Init is not refused: its output is discarded, and W does not depend on how the dot is computed.
            scope.Options.JaxVersion.EnsureVectorMatrixDotIsReproducible(Hidden);
        }

        // Outside the scan body, as the seed writes it: a param made inside the body is a JaxTransformError.
        return scope.Param("W", Initializers.LecunNormal(), WeightShape);
    }

    /// <summary>
    /// <c>carry = tanh(x @ W)</c>, then T steps of <c>carry = tanh(carry @ W)</c>, the final carry in
    /// <paramref name="destination"/>. The two state buffers are the destination and one rented spare, starting so that
    /// the last step lands in the destination: nothing is allocated per step, and the result is not copied.
    /// </summary>
    private void Recur(NDArray<float> w, ReadOnlySpan<float> x, Span<float> destination, int batch, LaxScanRunOptions run, CancellationToken cancel)
    {
        cancel.ThrowIfCancellationRequested();

        // The panel copy of W pays back over a few steps, not for init's single product.
        using var gemv = new GemvOperator(w, run.Threads, null, run.Team, panels: Steps >= 2, batchHint: batch);

        // x may be the destination itself (h = f(h)): then it is read from a copy, as every output reads all of x.
        float[]? xCopy = x.Overlaps(destination) ? ArrayPool<float>.Shared.Rent(x.Length) : null;
        float[]? rented = Steps > 0 ? ArrayPool<float>.Shared.Rent(destination.Length) : null;
        try
        {
            if (xCopy is not null)
            {
                x.CopyTo(xCopy);
                x = xCopy.AsSpan(0, x.Length);
            }

            // Step 0 writes the buffer that the T swaps after it leave in the destination.
            Span<float> spare = rented is null ? default : rented.AsSpan(0, destination.Length);
            Span<float> first = Steps % 2 == 0 ? destination : spare;
            Span<float> second = Steps % 2 == 0 ? spare : destination;
            bool tiny = gemv.RunOwned<GemvEpilogues.Tanh>(x, first, batch, xClean: false, cancel);
            run.OnStep?.Invoke(0, first);
            var body = new Recurrence(gemv, first, second, batch, tiny, run.OnStep, cancel);
            Lax.ScanInPlace(ref body, Steps);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<float>.Shared.Return(rented);
            }

            if (xCopy is not null)
            {
                ArrayPool<float>.Shared.Return(xCopy);
            }
        }
    }

    /// <summary>
    /// The scan body <c>carry = tanh(carry @ W)</c>: two buffers take turns, so no step allocates (the output never
    /// aliases the input it reads), and whether the carry holds a tiny value comes from the kernel's own store, so
    /// the next step need not scan it again.
    /// </summary>
    private ref struct Recurrence(GemvOperator gemv, Span<float> carry, Span<float> spare, int batch, bool tiny, StepObserver? observe, CancellationToken cancel) : IScanBody
    {
        private Span<float> _carry = carry;
        private Span<float> _spare = spare;
        private bool _tiny = tiny;

        public void Step(long step)
        {
            cancel.ThrowIfCancellationRequested();
            _tiny = gemv.RunOwned<GemvEpilogues.Tanh>(_carry, _spare, batch, xClean: !_tiny, cancel);
            Span<float> next = _spare;
            _spare = _carry;
            _carry = next;
            observe?.Invoke(step + 1, _carry);
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

    /// <summary>The batch a flat x of <paramref name="length"/> values holds (H values per row), checked against the destination's length.</summary>
    /// <exception cref="ArgumentException">x is empty or not a whole number of rows, or the destination's length differs.</exception>
    internal int CheckInput(int length, int destinationLength)
    {
        if (length == 0 || length % Hidden != 0)
        {
            ThrowHelper.ThrowArgument(
                $"LaxScanModule(hidden={Hidden}) takes x of {Hidden} values, or B rows of {Hidden} values one after another, but x has {length}; the module does not project inputs",
                "x");
        }

        if (destinationLength != length)
        {
            ThrowHelper.ThrowArgument($"the destination must have x's length, {length}, but has {destinationLength}", "destination");
        }

        return length / Hidden;
    }
}
