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
    /// <param name="options">The threefry mode, RNG separator, threads, cancellation and step observer; null for the defaults.</param>
    /// <returns>The final carry, shape (H,).</returns>
    /// <exception cref="ArgumentException">x's length is not <paramref name="hidden"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hidden"/> &lt; 1 or <paramref name="steps"/> &lt; 0.</exception>
    /// <exception cref="InsufficientMemoryException">W (H x H float32) cannot be allocated.</exception>
    /// <exception cref="NotSupportedException">The options name a JAX release whose <c>x @ W</c> LaxScan cannot reproduce (YNNPACK, 0.8.2 to 0.9.0.1, H &gt;= 8).</exception>
    public static NDArray<float> LaxScanInModule(long seed, ReadOnlySpan<float> x, int hidden, long steps, LaxScanOptions? options = null) =>
        LaxScanInModule(PrngKey.FromSeed(seed), new NDArray<float>(new Shape(x.Length), x.ToArray()), hidden, steps, options);

    /// <summary><c>lax_scan_in_module</c> with a raw key instead of a seed.</summary>
    /// <param name="key">The key that <c>init</c> receives.</param>
    /// <param name="x">The input, shape (H,) or a batch (B, H).</param>
    /// <param name="hidden">H.</param>
    /// <param name="steps">T, zero or more.</param>
    /// <param name="options">The threefry mode, RNG separator, threads, cancellation and step observer; null for the defaults.</param>
    /// <returns>The final carry, the shape of x.</returns>
    /// <exception cref="ArgumentException">x is not (H,) or (B, H).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hidden"/> &lt; 1 or <paramref name="steps"/> &lt; 0.</exception>
    /// <exception cref="InsufficientMemoryException">W (H x H float32) cannot be allocated.</exception>
    /// <exception cref="NotSupportedException">The options name a JAX release whose <c>x @ W</c> LaxScan cannot reproduce (YNNPACK, 0.8.2 to 0.9.0.1, H &gt;= 8).</exception>
    public static NDArray<float> LaxScanInModule(PrngKey key, NDArray<float> x, int hidden, long steps, LaxScanOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        options ??= LaxScanOptions.Default;
        var module = new LaxScanModule(hidden, steps);
        int batch = module.CheckInput(x.Shape);

        // One team of worker threads serves init's product and every step of apply.
        using StepTeam? team = options.CreateTeam(hidden, batch);
        Variables variables = InitModule(hidden).Init(key, x, options.ForInit(team), options.Linen);
        return module.Apply(variables, x, options.ForApply(team), options.Linen);
    }

    /// <summary>
    /// <c>LaxScanModule(hidden, T).apply(variables, x)</c> with given variables (from a Flax checkpoint, say) instead
    /// of initializing: no key is used, and W must be float32 of shape (H, H) under <c>{"params": {"W": ...}}</c>.
    /// </summary>
    /// <param name="variables">The variables, such as <see cref="Io.FlaxSerialization.ReadFile"/> returns.</param>
    /// <param name="x">The input, shape (H,) or a batch (B, H).</param>
    /// <param name="hidden">H.</param>
    /// <param name="steps">T, zero or more.</param>
    /// <param name="options">Threads, cancellation and step observer; null for the defaults.</param>
    /// <returns>The final carry, the shape of x.</returns>
    /// <exception cref="ScopeParamShapeError">W's shape is not (H, H).</exception>
    /// <exception cref="ScopeParamNotFoundError">The variables have no W.</exception>
    /// <exception cref="ScopeCollectionNotFoundError">The variables have no <c>params</c> collection.</exception>
    /// <exception cref="ArgumentException">The variables are not a valid <c>{"params": ...}</c> tree for the module
    /// (Flax's <see cref="ApplyScopeInvalidVariablesStructureError"/>, <see cref="ApplyScopeInvalidVariablesTypeError"/>).</exception>
    /// <exception cref="NotSupportedException">The options name a JAX release whose <c>x @ W</c> LaxScan cannot reproduce (YNNPACK, 0.8.2 to 0.9.0.1, H &gt;= 8).</exception>
    public static NDArray<float> Apply(Variables variables, NDArray<float> x, int hidden, long steps, LaxScanOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(variables);
        ArgumentNullException.ThrowIfNull(x);
        options ??= LaxScanOptions.Default;
        return new LaxScanModule(hidden, steps).Apply(variables, x, options.ForApply(team: null), options.Linen);
    }

    /// <summary>
    /// The variables <c>LaxScanModule(hidden, T).init(key, x)</c> makes, <c>{"params": {"W": (H, H)}}</c>, without
    /// running the recurrence (init's own run of the scan changes nothing it returns).
    /// </summary>
    /// <param name="key">The key that <c>init</c> receives.</param>
    /// <param name="hidden">H.</param>
    /// <param name="options">The threefry mode and RNG separator; null for the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hidden"/> &lt; 1.</exception>
    /// <exception cref="InsufficientMemoryException">W cannot be allocated.</exception>
    public static Variables Params(PrngKey key, int hidden, LaxScanOptions? options = null)
    {
        options ??= LaxScanOptions.Default;
        LaxScanModule module = InitModule(hidden);
        return module.Init(key, new NDArray<float>(new Shape(hidden)), options.ForInit(team: null), options.Linen);
    }

    /// <summary>
    /// The module that <c>init</c> runs. init runs the module once too; T = 0 keeps that run to one GEMV (W's key
    /// does not depend on T).
    /// </summary>
    private static LaxScanModule InitModule(int hidden) => new(hidden, steps: 0);
}

/// <summary>How <see cref="LaxScanFunctions.LaxScanInModule(long, ReadOnlySpan{float}, int, long, LaxScanOptions?)"/> runs; every default is JAX's and Flax's.</summary>
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

    /// <summary>Stops a long run between steps, and between blocks of rows of a large batch.</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>Sees every state of the apply run: step 0 (after <c>tanh(x @ W)</c>) through T.</summary>
    public StepObserver? OnStep { get; init; }

    /// <summary>The per-call options of the apply run, with a team shared with init (or null).</summary>
    internal LaxScanRunOptions ForApply(StepTeam? team) =>
        new() { Threads = Threads, CancellationToken = CancellationToken, OnStep = OnStep, Team = team };

    /// <summary>The per-call options of init's run: the observer watches the apply run's states, not init's.</summary>
    internal LaxScanRunOptions ForInit(StepTeam? team) =>
        new() { Threads = Threads, CancellationToken = CancellationToken, Team = team };

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
