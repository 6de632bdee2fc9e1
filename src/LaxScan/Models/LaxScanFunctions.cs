using System.Numerics.Tensors;
using LaxScan.Kernels;
using LaxScan.Linen;
using LaxScan.Random;
using LaxScan.Threading;

namespace LaxScan.Models;

/// <summary>
/// The seed's function <c>lax_scan_in_module(seed, x, hidden, T)</c>: build <see cref="LaxScanModule"/>, <c>init</c>
/// it with <c>PRNGKey(seed)</c> and x, then <c>apply</c> the variables to x and return the final carry.
/// </summary>
/// <example>
/// <code>
/// using static LaxScan.Models.LaxScanFunctions;
/// NDArray&lt;float&gt; h = LaxScanInModule(seed: 0, x: [0.5f, -1f, 0.25f, 2f], hidden: 4, steps: 10);
/// </code>
/// </example>
public static class LaxScanFunctions
{
    /// <summary><c>lax_scan_in_module(seed, x, hidden, T)</c> for one input vector.</summary>
    /// <param name="seed">The seed of <c>jax.random.PRNGKey(seed)</c> (64-bit mode off: the key is <c>[0, seed mod 2^32]</c>).</param>
    /// <param name="x">The input, length <paramref name="hidden"/>.</param>
    /// <param name="hidden">H.</param>
    /// <param name="steps">T, zero or more.</param>
    /// <param name="options">The threefry mode, RNG separator, threads and step observer; null for the defaults.</param>
    /// <param name="cancellationToken">Stops the run between steps; an already cancelled token throws before anything runs, also for T = 0.</param>
    /// <returns>The final carry, shape (H,).</returns>
    /// <exception cref="ArgumentException">x's length is not <paramref name="hidden"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hidden"/> &lt; 1 or <paramref name="steps"/> &lt; 0.</exception>
    /// <exception cref="InsufficientMemoryException">W (H x H float32) cannot be allocated.</exception>
    /// <exception cref="NotSupportedException">The options name a JAX release whose <c>x @ W</c> LaxScan cannot reproduce (YNNPACK, 0.8.2 to 0.9.0.1, H &gt;= 8).</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static NDArray<float> LaxScanInModule(long seed, ReadOnlySpan<float> x, int hidden, long steps, LaxScanOptions? options = null, CancellationToken cancellationToken = default) =>
        LaxScanInModule(PrngKey.FromSeed(seed), new NDArray<float>(new Shape(x.Length), x.ToArray()), hidden, steps, options, cancellationToken);

    /// <summary><c>lax_scan_in_module</c> with a raw key instead of a seed.</summary>
    /// <param name="key">The key that <c>init</c> receives.</param>
    /// <param name="x">The input, shape (H,) or a batch (B, H).</param>
    /// <param name="hidden">H.</param>
    /// <param name="steps">T, zero or more.</param>
    /// <param name="options">The threefry mode, RNG separator, threads and step observer; null for the defaults.</param>
    /// <param name="cancellationToken">Stops the run between steps (and between blocks of rows of a large batch); an already cancelled token throws before anything runs, also for T = 0.</param>
    /// <returns>The final carry, the shape of x.</returns>
    /// <exception cref="ArgumentException">x is not (H,) or (B, H).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hidden"/> &lt; 1 or <paramref name="steps"/> &lt; 0.</exception>
    /// <exception cref="InsufficientMemoryException">W (H x H float32) cannot be allocated.</exception>
    /// <exception cref="NotSupportedException">The options name a JAX release whose <c>x @ W</c> LaxScan cannot reproduce (YNNPACK, 0.8.2 to 0.9.0.1, H &gt;= 8).</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static NDArray<float> LaxScanInModule(PrngKey key, NDArray<float> x, int hidden, long steps, LaxScanOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(x);
        options ??= LaxScanOptions.Default;
        var module = new LaxScanModule(hidden, steps);
        int batch = module.CheckInput(x.Shape);
        cancellationToken.ThrowIfCancellationRequested();

        // One team of worker threads serves every step.
        using StepTeam? team = options.CreateTeam(hidden, batch);
        Variables variables = module.InitWeights(key, options.Linen, cancellationToken);
        return module.Apply(variables, x, options.ForApply(team), options.Linen, cancellationToken);
    }

    /// <summary>
    /// <c>lax_scan_in_module</c> into a buffer of the caller's: x holds one input (H values) or a batch of B inputs,
    /// row after row (B x H values), and each final carry is written to <paramref name="destination"/>, which has x's
    /// length. No result array is allocated: the run reuses <paramref name="destination"/> as one of its two state
    /// buffers. x may be <paramref name="destination"/> itself.
    /// </summary>
    /// <param name="key">The key that <c>init</c> receives (<see cref="PrngKey.FromSeed(long, bool)"/> for a seed).</param>
    /// <param name="x">H values, or B x H values row-major.</param>
    /// <param name="hidden">H.</param>
    /// <param name="steps">T, zero or more.</param>
    /// <param name="destination">Where the final carries go; x's length.</param>
    /// <param name="options">The threefry mode, RNG separator, threads and step observer; null for the defaults.</param>
    /// <param name="cancellationToken">Stops the run between steps; an already cancelled token throws before anything runs, also for T = 0.</param>
    /// <exception cref="ArgumentException">x's length is not a positive multiple of H, or the destination's length is not x's.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hidden"/> &lt; 1 or <paramref name="steps"/> &lt; 0.</exception>
    /// <exception cref="InsufficientMemoryException">W (H x H float32) cannot be allocated.</exception>
    /// <exception cref="NotSupportedException">The options name a JAX release whose <c>x @ W</c> LaxScan cannot reproduce (YNNPACK, 0.8.2 to 0.9.0.1, H &gt;= 8).</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled: before the call, the destination is untouched; during the run, it holds an intermediate state, not a result.</exception>
    public static void LaxScanInModule(PrngKey key, ReadOnlySpan<float> x, int hidden, long steps, Span<float> destination, LaxScanOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= LaxScanOptions.Default;
        var module = new LaxScanModule(hidden, steps);
        int batch = module.CheckInput(x.Length, destination.Length);
        cancellationToken.ThrowIfCancellationRequested();
        using StepTeam? team = options.CreateTeam(hidden, batch);
        Variables variables = module.InitWeights(key, options.Linen, cancellationToken);
        module.Apply(variables, x, destination, options.ForApply(team), options.Linen, cancellationToken);
    }

    /// <summary>
    /// <c>lax_scan_in_module</c> between System.Numerics.Tensors spans: x of shape (H,) or (B, H), the final carries
    /// written to <paramref name="destination"/> of the same shape. A dense row-major x and destination are used in
    /// place (no copy; an <see cref="NDArray{T}"/>'s <c>AsTensorSpan()</c> is one); a strided x is gathered first.
    /// </summary>
    /// <param name="key">The key that <c>init</c> receives.</param>
    /// <param name="x">The input, shape (H,) or (B, H).</param>
    /// <param name="hidden">H.</param>
    /// <param name="steps">T, zero or more.</param>
    /// <param name="destination">Where the final carries go: x's shape, dense and row-major.</param>
    /// <param name="options">The threefry mode, RNG separator, threads and step observer; null for the defaults.</param>
    /// <param name="cancellationToken">Stops the run between steps; an already cancelled token throws before anything runs, also for T = 0.</param>
    /// <exception cref="ArgumentException">x is not (H,) or (B, H), the destination's shape is not x's, or the destination is not dense and row-major.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hidden"/> &lt; 1 or <paramref name="steps"/> &lt; 0.</exception>
    /// <exception cref="InsufficientMemoryException">W (H x H float32) cannot be allocated.</exception>
    /// <exception cref="NotSupportedException">The options name a JAX release whose <c>x @ W</c> LaxScan cannot reproduce (YNNPACK, 0.8.2 to 0.9.0.1, H &gt;= 8).</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static void LaxScanInModule(PrngKey key, in ReadOnlyTensorSpan<float> x, int hidden, long steps, in TensorSpan<float> destination, LaxScanOptions? options = null, CancellationToken cancellationToken = default)
    {
        var module = new LaxScanModule(hidden, steps);
        float[]? gathered = null;
        ReadOnlySpan<float> xs = TensorArguments(module, x, destination, ref gathered, out Span<float> ys);
        LaxScanInModule(key, xs, hidden, steps, ys, options, cancellationToken);
    }

    /// <summary>
    /// <c>LaxScanModule(hidden, T).apply(variables, x)</c> with given variables (from a Flax checkpoint, say) instead
    /// of initializing: no key is used, and W must be float32 of shape (H, H) under <c>{"params": {"W": ...}}</c>.
    /// </summary>
    /// <param name="variables">The variables, such as <see cref="Io.FlaxSerialization.ReadFile"/> returns.</param>
    /// <param name="x">The input, shape (H,) or a batch (B, H).</param>
    /// <param name="hidden">H.</param>
    /// <param name="steps">T, zero or more.</param>
    /// <param name="options">Threads and step observer; null for the defaults.</param>
    /// <param name="cancellationToken">Stops the run between steps; an already cancelled token throws before anything runs, also for T = 0.</param>
    /// <returns>The final carry, the shape of x.</returns>
    /// <exception cref="ScopeParamShapeError">W's shape is not (H, H).</exception>
    /// <exception cref="ScopeParamNotFoundError">The variables have no W.</exception>
    /// <exception cref="ScopeCollectionNotFoundError">The variables have no <c>params</c> collection.</exception>
    /// <exception cref="ArgumentException">The variables are not a valid <c>{"params": ...}</c> tree for the module
    /// (Flax's <see cref="ApplyScopeInvalidVariablesStructureError"/>, <see cref="ApplyScopeInvalidVariablesTypeError"/>).</exception>
    /// <exception cref="NotSupportedException">The options name a JAX release whose <c>x @ W</c> LaxScan cannot reproduce (YNNPACK, 0.8.2 to 0.9.0.1, H &gt;= 8).</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static NDArray<float> Apply(Variables variables, NDArray<float> x, int hidden, long steps, LaxScanOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(variables);
        ArgumentNullException.ThrowIfNull(x);
        options ??= LaxScanOptions.Default;
        return new LaxScanModule(hidden, steps).Apply(variables, x, options.ForApply(team: null), options.Linen, cancellationToken);
    }

    /// <summary>
    /// <see cref="Apply(Variables, NDArray{float}, int, long, LaxScanOptions?, CancellationToken)"/> into a buffer of
    /// the caller's: x holds H values or B x H values row-major, and the final carries go to
    /// <paramref name="destination"/> (x's length) without allocating a result. x may be the destination itself.
    /// </summary>
    /// <param name="variables">The variables, <c>{"params": {"W": (H, H)}}</c>.</param>
    /// <param name="x">H values, or B x H values row-major.</param>
    /// <param name="hidden">H.</param>
    /// <param name="steps">T, zero or more.</param>
    /// <param name="destination">Where the final carries go; x's length.</param>
    /// <param name="options">Threads and step observer; null for the defaults.</param>
    /// <param name="cancellationToken">Stops the run between steps; an already cancelled token throws before anything runs, also for T = 0.</param>
    /// <exception cref="ArgumentException">x's length is not a positive multiple of H, the destination's length is not x's, or the variables are not a valid tree for the module.</exception>
    /// <exception cref="ScopeParamShapeError">W's shape is not (H, H).</exception>
    /// <exception cref="ScopeParamNotFoundError">The variables have no W.</exception>
    /// <exception cref="NotSupportedException">The options name a JAX release whose <c>x @ W</c> LaxScan cannot reproduce.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static void Apply(Variables variables, ReadOnlySpan<float> x, int hidden, long steps, Span<float> destination, LaxScanOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(variables);
        options ??= LaxScanOptions.Default;
        new LaxScanModule(hidden, steps).Apply(variables, x, destination, options.ForApply(team: null), options.Linen, cancellationToken);
    }

    /// <summary>
    /// <see cref="Apply(Variables, NDArray{float}, int, long, LaxScanOptions?, CancellationToken)"/> between
    /// System.Numerics.Tensors spans: x of shape (H,) or (B, H), the final carries written to
    /// <paramref name="destination"/> of the same shape, dense and row-major (used in place; a strided x is gathered first).
    /// </summary>
    /// <param name="variables">The variables, <c>{"params": {"W": (H, H)}}</c>.</param>
    /// <param name="x">The input, shape (H,) or (B, H).</param>
    /// <param name="hidden">H.</param>
    /// <param name="steps">T, zero or more.</param>
    /// <param name="destination">Where the final carries go: x's shape, dense and row-major.</param>
    /// <param name="options">Threads and step observer; null for the defaults.</param>
    /// <param name="cancellationToken">Stops the run between steps; an already cancelled token throws before anything runs, also for T = 0.</param>
    /// <exception cref="ArgumentException">x is not (H,) or (B, H), the destination's shape is not x's or it is not dense and row-major, or the variables are not a valid tree for the module.</exception>
    /// <exception cref="ScopeParamShapeError">W's shape is not (H, H).</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static void Apply(Variables variables, in ReadOnlyTensorSpan<float> x, int hidden, long steps, in TensorSpan<float> destination, LaxScanOptions? options = null, CancellationToken cancellationToken = default)
    {
        var module = new LaxScanModule(hidden, steps);
        float[]? gathered = null;
        ReadOnlySpan<float> xs = TensorArguments(module, x, destination, ref gathered, out Span<float> ys);
        Apply(variables, xs, hidden, steps, ys, options, cancellationToken);
    }

    /// <summary>
    /// The variables <c>LaxScanModule(hidden, T).init(key, x)</c> makes, <c>{"params": {"W": (H, H)}}</c>, without
    /// running the recurrence (init's own run of the scan changes nothing it returns).
    /// </summary>
    /// <param name="key">The key that <c>init</c> receives.</param>
    /// <param name="hidden">H.</param>
    /// <param name="options">The threefry mode and RNG separator; null for the defaults.</param>
    /// <param name="cancellationToken">An already cancelled token throws before anything runs.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hidden"/> &lt; 1.</exception>
    /// <exception cref="InsufficientMemoryException">W cannot be allocated.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static Variables Params(PrngKey key, int hidden, LaxScanOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= LaxScanOptions.Default;
        return new LaxScanModule(hidden, steps: 0).InitWeights(key, options.Linen, cancellationToken);
    }

    /// <summary>
    /// x and the destination of a tensor-span call as flat row-major spans: the shapes are checked (x (H,) or (B, H),
    /// the destination the same), the destination must be dense and row-major, and a strided x is gathered into
    /// <paramref name="gathered"/>.
    /// </summary>
    private static ReadOnlySpan<float> TensorArguments(LaxScanModule module, in ReadOnlyTensorSpan<float> x, in TensorSpan<float> destination, ref float[]? gathered, out Span<float> ys)
    {
        Shape shape = TensorInterop.ShapeOf(x.Lengths);
        module.CheckInput(shape);
        if (!x.Lengths.SequenceEqual(destination.Lengths))
        {
            ThrowHelper.ThrowArgument($"the destination must have x's shape {shape}, but has {TensorInterop.ShapeOf(destination.Lengths)}", nameof(destination));
        }

        if (!TensorInterop.TryGetRowMajor(destination, out ys))
        {
            ThrowHelper.ThrowArgument("the destination must be dense and row-major (as NDArray<float>.AsTensorSpan() gives it), but it is strided", nameof(destination));
        }

        if (TensorInterop.TryGetRowMajor(x, out ReadOnlySpan<float> xs))
        {
            return xs;
        }

        gathered = new float[shape.Size];
        x.FlattenTo(gathered);
        return gathered;
    }
}

/// <summary>
/// How the <see cref="LaxScanFunctions"/> calls run; every default is JAX's and Flax's. Cancellation is not an
/// option: every call that can run long takes a <see cref="CancellationToken"/> as its last parameter.
/// </summary>
public sealed record LaxScanOptions
{
    /// <summary>All defaults: partitionable threefry, no RNG separator, automatic threads.</summary>
    public static LaxScanOptions Default { get; } = new();

    /// <summary>JAX's <c>jax_threefry_partitionable</c> flag, Flax's <c>flax_fix_rng_separator</c>, and the JAX release whose rules apply (<see cref="LinenOptions.JaxVersion"/>).</summary>
    public LinenOptions Linen { get; init; } = LinenOptions.Default;

    /// <summary>
    /// Threads per step: 0 picks by size and by measuring (one thread below 2^16 multiply-adds per step; above, the team
    /// or the caller alone, whichever is faster as the run goes), 1 keeps to the calling thread; capped at the processor
    /// count. The bits are the same either way.
    /// </summary>
    public int Threads { get; init; }

    /// <summary>Sees every state of the apply run: step 0 (after <c>tanh(x @ W)</c>) through T.</summary>
    public StepObserver? OnStep { get; init; }

    /// <summary>The per-call options of the apply run, with a team shared with init (or null).</summary>
    internal LaxScanRunOptions ForApply(StepTeam? team) =>
        new() { Threads = Threads, OnStep = OnStep, Team = team };

    /// <summary>The thread team for an H x H recurrence of <paramref name="batch"/> rows, or null where one thread is the choice.</summary>
    internal StepTeam? CreateTeam(int hidden, int batch)
    {
        if (Threads < 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange($"threads must be >= 0 (0 = automatic), but was given {Threads}", nameof(Threads));
        }

        int units = (hidden + GemvPanels.Width - 1) / GemvPanels.Width;
        int threads = GemvOperator.PickThreads(Threads, hidden, hidden, units, batch);
        return threads > 1 ? new StepTeam(threads) : null;
    }
}
