using LaxScan.Random;

namespace LaxScan.Nn;

/// <summary>
/// <c>jax.nn.initializers</c> for float32: factories that return an <see cref="Initializer"/>, computing exactly
/// what JAX computes so the arrays are bit-identical.
/// </summary>
public static partial class Initializers
{
    // The standard deviation of a standard normal truncated to (-2, 2): dividing by it restores unit variance.
    private const float TruncatedNormalStddev = 0.87962566103423978f;

    private static readonly int[] DefaultInAxis = [-2];
    private static readonly int[] DefaultOutAxis = [-1];

    /// <summary>
    /// <c>variance_scaling(scale, mode, distribution, in_axis, out_axis, batch_axis)</c>: draws with variance
    /// <c>scale / denominator</c>, the denominator chosen by <paramref name="mode"/> from the shape's fans.
    /// </summary>
    /// <param name="scale">The variance scale; must be positive.</param>
    /// <param name="mode">Which fan to divide by.</param>
    /// <param name="distribution">The distribution to draw from.</param>
    /// <param name="inAxis">The input axis (default -2).</param>
    /// <param name="outAxis">The output axis (default -1).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scale"/> is not positive, or an enum is unknown.</exception>
    public static Initializer VarianceScaling(double scale, FanMode mode, Distribution distribution, int inAxis = -2, int outAxis = -1) =>
        VarianceScaling(scale, mode, distribution, [inAxis], [outAxis], []);

    /// <summary>
    /// <c>variance_scaling</c> with sequences of axes: the sizes of several input (or output) axes multiply, and batch
    /// axes count in neither fan.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scale"/> is not positive, or an enum is unknown.</exception>
    public static Initializer VarianceScaling(double scale, FanMode mode, Distribution distribution, int[] inAxes, int[] outAxes, int[] batchAxes)
    {
        if (!(scale > 0) || double.IsInfinity(scale))
        {
            ThrowHelper.ThrowArgumentOutOfRange($"variance_scaling needs a positive finite scale, but was given {scale}", nameof(scale));
        }

        if (!Enum.IsDefined(mode))
        {
            ThrowHelper.ThrowArgumentOutOfRange($"invalid mode for variance scaling initializer: {mode}", nameof(mode));
        }

        if (!Enum.IsDefined(distribution))
        {
            ThrowHelper.ThrowArgumentOutOfRange($"invalid distribution for variance scaling initializer: {distribution}", nameof(distribution));
        }

        int[] ins = [.. inAxes];
        int[] outs = [.. outAxes];
        int[] batch = [.. batchAxes];
        return (key, shape, threefry) =>
        {
            (double fanIn, double fanOut) = Fans.Compute(shape, ins, outs, batch);
            double denominator = mode switch
            {
                FanMode.FanIn => fanIn,
                FanMode.FanOut => fanOut,
                FanMode.FanAvg => (fanIn + fanOut) / 2,
                _ => Math.Sqrt(fanIn * fanOut),
            };
            float variance = (float)(scale / denominator);
            NDArray<float> result = LargeArrays.ForFill(shape);   // every branch below writes every value
            Span<float> values = result.Span;
            switch (distribution)
            {
                case Distribution.TruncatedNormal:
                    // One pass: bits, uniform, erf_inv, clip and this scale in registers (the bits of the separate steps).
                    TruncatedNormalFill.Fill(key, values, -2f, 2f, MathF.Sqrt(variance) / TruncatedNormalStddev, threefry, Numerics.SimdTiers.Default);
                    break;
                case Distribution.Normal:
                    JaxRandom.Normal(key, values, threefry, Numerics.SimdTiers.Default);
                    DistributionKernels.Scale(values, MathF.Sqrt(variance), Numerics.SimdTiers.Default);
                    break;
                default:
                    JaxRandom.Uniform(key, values, -1f, 1f, threefry, Numerics.SimdTiers.Default);
                    DistributionKernels.Scale(values, MathF.Sqrt(3f * variance), Numerics.SimdTiers.Default);
                    break;
            }

            return result;
        };
    }

    /// <summary><c>lecun_normal()</c>: truncated normal with variance 1 / fan_in.</summary>
    public static Initializer LecunNormal(int inAxis = -2, int outAxis = -1) => VarianceScaling(1, FanMode.FanIn, Distribution.TruncatedNormal, inAxis, outAxis);

    /// <summary><c>lecun_uniform()</c>: uniform with variance 1 / fan_in.</summary>
    public static Initializer LecunUniform(int inAxis = -2, int outAxis = -1) => VarianceScaling(1, FanMode.FanIn, Distribution.Uniform, inAxis, outAxis);

    /// <summary><c>glorot_normal()</c> (<c>xavier_normal</c>): truncated normal with variance 2 / (fan_in + fan_out).</summary>
    public static Initializer GlorotNormal(int inAxis = -2, int outAxis = -1) => VarianceScaling(1, FanMode.FanAvg, Distribution.TruncatedNormal, inAxis, outAxis);

    /// <summary><c>glorot_uniform()</c> (<c>xavier_uniform</c>): uniform with variance 2 / (fan_in + fan_out).</summary>
    public static Initializer GlorotUniform(int inAxis = -2, int outAxis = -1) => VarianceScaling(1, FanMode.FanAvg, Distribution.Uniform, inAxis, outAxis);

    /// <summary><c>he_normal()</c> (<c>kaiming_normal</c>): truncated normal with variance 2 / fan_in.</summary>
    public static Initializer HeNormal(int inAxis = -2, int outAxis = -1) => VarianceScaling(2, FanMode.FanIn, Distribution.TruncatedNormal, inAxis, outAxis);

    /// <summary><c>he_uniform()</c> (<c>kaiming_uniform</c>): uniform with variance 2 / fan_in.</summary>
    public static Initializer HeUniform(int inAxis = -2, int outAxis = -1) => VarianceScaling(2, FanMode.FanIn, Distribution.Uniform, inAxis, outAxis);

    /// <summary><c>xavier_normal()</c>, the same as <see cref="GlorotNormal"/>.</summary>
    public static Initializer XavierNormal(int inAxis = -2, int outAxis = -1) => GlorotNormal(inAxis, outAxis);

    /// <summary><c>xavier_uniform()</c>, the same as <see cref="GlorotUniform"/>.</summary>
    public static Initializer XavierUniform(int inAxis = -2, int outAxis = -1) => GlorotUniform(inAxis, outAxis);

    /// <summary><c>kaiming_normal()</c>, the same as <see cref="HeNormal"/>.</summary>
    public static Initializer KaimingNormal(int inAxis = -2, int outAxis = -1) => HeNormal(inAxis, outAxis);

    /// <summary><c>kaiming_uniform()</c>, the same as <see cref="HeUniform"/>.</summary>
    public static Initializer KaimingUniform(int inAxis = -2, int outAxis = -1) => HeUniform(inAxis, outAxis);

    /// <summary><c>normal(stddev)</c>: <c>normal(key, shape) * stddev</c>.</summary>
    public static Initializer Normal(float stddev = 1e-2f) => (key, shape, threefry) =>
    {
        NDArray<float> result = JaxRandom.Normal(key, shape, threefry);
        DistributionKernels.Scale(result.Span, stddev, Numerics.SimdTiers.Default);
        return result;
    };

    /// <summary><c>uniform(scale)</c>: <c>uniform(key, shape) * scale</c>, in [0, scale).</summary>
    public static Initializer Uniform(float scale = 1e-2f) => (key, shape, threefry) =>
    {
        NDArray<float> result = JaxRandom.Uniform(key, shape, 0f, 1f, threefry);
        DistributionKernels.Scale(result.Span, scale, Numerics.SimdTiers.Default);
        return result;
    };

    /// <summary><c>truncated_normal(stddev, lower, upper)</c>: <c>truncated_normal(key, lower, upper, shape) * stddev</c>.</summary>
    /// <remarks>
    /// Like JAX, no check of the bounds: with <paramref name="lower"/> &gt;= <paramref name="upper"/> every value is
    /// <c>nextafter(upper, -inf) * stddev</c>, what <see cref="JaxRandom.TruncatedNormal(PrngKey, Shape, float, float, ThreefryMode)"/>
    /// returns for such bounds (see docs/parity.md).
    /// </remarks>
    public static Initializer TruncatedNormal(float stddev = 1e-2f, float lower = -2f, float upper = 2f) =>
        TruncatedNormal(stddev, lower, upper, JaxVersion.Default);

    /// <summary>
    /// <c>truncated_normal(stddev, lower, upper)</c> as a given JAX release computes it: the release's erf rule applies
    /// to the bounds (it matters only for |lower| or |upper| of 5.2947 or more). As in JAX, the bounds are not checked.
    /// </summary>
    public static Initializer TruncatedNormal(float stddev, float lower, float upper, JaxVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return (key, shape, threefry) =>
        {
            NDArray<float> result = LargeArrays.ForFill(shape);
            TruncatedNormalFill.Fill(key, result.Span, lower, upper, stddev, threefry, Numerics.SimdTiers.Default, version.ErfRule);
            return result;
        };
    }

    /// <summary><c>zeros</c>: an array of zeros; the key is ignored.</summary>
    public static Initializer Zeros { get; } = (_, shape, _) => new NDArray<float>(shape);

    /// <summary><c>ones</c>: an array of ones; the key is ignored.</summary>
    public static Initializer Ones { get; } = Constant(1f);

    /// <summary><c>constant(value)</c>: an array filled with <paramref name="value"/>; the key is ignored.</summary>
    public static Initializer Constant(float value) => (_, shape, _) =>
    {
        var result = new NDArray<float>(shape);
        result.Span.Fill(value);
        return result;
    };

    /// <summary>The names <see cref="ByName(string, InitializerOptions?)"/> accepts, as <c>jax.nn.initializers</c> spells them.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "lecun_normal", "lecun_uniform", "glorot_normal", "glorot_uniform", "he_normal", "he_uniform", "xavier_normal", "xavier_uniform",
        "kaiming_normal", "kaiming_uniform", "normal", "uniform", "truncated_normal", "zeros", "ones", "constant", "variance_scaling",
    ];

    /// <summary>The options (JAX's keyword names, such as <c>stddev</c> or <c>in_axis</c>) that <see cref="ByName(string, InitializerOptions?)"/> accepts for a name.</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <exception cref="ArgumentException">The name is unknown.</exception>
    internal static IReadOnlyList<string> OptionsOf(string name) => name switch
    {
        "normal" => ["stddev"],
        "uniform" => ["scale"],
        "truncated_normal" => ["stddev", "lower", "upper"],
        "constant" => ["value"],
        "variance_scaling" => ["scale", "mode", "distribution", "in_axis", "out_axis"],
        "zeros" or "ones" => [],
        _ when Names.Contains(name) => ["in_axis", "out_axis"],
        _ => throw new ArgumentException($"unknown initializer '{name}'; known: {string.Join(", ", Names)}", nameof(name)),
    };

    /// <summary>
    /// The initializer <c>jax.nn.initializers.NAME(...)</c> makes, with the options that name takes.
    /// </summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <param name="options">The options; those the name does not take must be left unset.</param>
    /// <exception cref="ArgumentException">The name is unknown, or an option does not apply to it.</exception>
    public static Initializer ByName(string name, InitializerOptions? options = null) => ByName(name, options, JaxVersion.Default);

    /// <summary>
    /// <see cref="ByName(string, InitializerOptions?)"/> as a given JAX release computes it (only
    /// <c>truncated_normal</c> with bounds beyond +-5.2947 depends on the release; the variance-scaling family
    /// truncates at +-2, where every release agrees).
    /// </summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <param name="options">The options; those the name does not take must be left unset.</param>
    /// <param name="version">The JAX release.</param>
    /// <exception cref="ArgumentException">The name is unknown, or an option does not apply to it.</exception>
    public static Initializer ByName(string name, InitializerOptions? options, JaxVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(name);
        options ??= new InitializerOptions();
        IReadOnlyList<string> allowed = OptionsOf(name);
        string? extra = options.SetNames().FirstOrDefault(o => !allowed.Contains(o));
        if (extra is not null)
        {
            string takes = allowed.Count == 0 ? "no options" : string.Join(", ", allowed);
            throw new ArgumentException($"initializer '{name}' does not take option '{extra}'; it takes {takes}", nameof(options));
        }

        int inAxis = options.InAxis ?? -2;
        int outAxis = options.OutAxis ?? -1;
        return name switch
        {
            "lecun_normal" => LecunNormal(inAxis, outAxis),
            "lecun_uniform" => LecunUniform(inAxis, outAxis),
            "glorot_normal" or "xavier_normal" => GlorotNormal(inAxis, outAxis),
            "glorot_uniform" or "xavier_uniform" => GlorotUniform(inAxis, outAxis),
            "he_normal" or "kaiming_normal" => HeNormal(inAxis, outAxis),
            "he_uniform" or "kaiming_uniform" => HeUniform(inAxis, outAxis),
            "normal" => Normal(options.Stddev ?? 1e-2f),
            "uniform" => Uniform(options.Scale is { } s ? (float)s : 1e-2f),
            "truncated_normal" => TruncatedNormal(options.Stddev ?? 1e-2f, options.Lower ?? -2f, options.Upper ?? 2f, version),
            "zeros" => Zeros,
            "ones" => Ones,
            "constant" => Constant(options.Value ?? throw new ArgumentException("initializer 'constant' needs a value", nameof(options))),
            _ => VarianceScaling(options.Scale ?? 1.0, options.Mode ?? FanMode.FanIn, options.Distribution ?? Distribution.TruncatedNormal, inAxis, outAxis),
        };
    }
}
