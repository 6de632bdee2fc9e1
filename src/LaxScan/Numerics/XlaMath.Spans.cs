namespace LaxScan.Numerics;

public static partial class XlaMath
{
    /// <summary>Elementwise <see cref="Tanh(float)"/>; <paramref name="destination"/> may be <paramref name="x"/> itself.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="x"/>.</exception>
    public static void Tanh(ReadOnlySpan<float> x, Span<float> destination) => Tanh(x, destination, SimdTiers.Default);

    /// <summary>Elementwise <see cref="Erf(float)"/>; <paramref name="destination"/> may be <paramref name="x"/> itself.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="x"/>.</exception>
    public static void Erf(ReadOnlySpan<float> x, Span<float> destination) => Erf(x, destination, SimdTiers.Default);

    /// <summary>Elementwise <see cref="ErfInv(float)"/>; <paramref name="destination"/> may be <paramref name="x"/> itself.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="x"/>.</exception>
    public static void ErfInv(ReadOnlySpan<float> x, Span<float> destination) => ErfInv(x, destination, SimdTiers.Default);

    /// <summary>Elementwise <see cref="Log(float)"/>; <paramref name="destination"/> may be <paramref name="x"/> itself.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="x"/>.</exception>
    public static void Log(ReadOnlySpan<float> x, Span<float> destination) => Log(x, destination, SimdTiers.Default);

    /// <summary>Elementwise <see cref="Log1p(float)"/>; <paramref name="destination"/> may be <paramref name="x"/> itself.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="x"/>.</exception>
    public static void Log1p(ReadOnlySpan<float> x, Span<float> destination) => Log1p(x, destination, SimdTiers.Default);

    internal static void Tanh(ReadOnlySpan<float> x, Span<float> destination, SimdTier tier) => Map(x, destination, Tanh);

    internal static void Erf(ReadOnlySpan<float> x, Span<float> destination, SimdTier tier) => Map(x, destination, Erf);

    internal static void ErfInv(ReadOnlySpan<float> x, Span<float> destination, SimdTier tier) => Map(x, destination, ErfInv);

    internal static void Log(ReadOnlySpan<float> x, Span<float> destination, SimdTier tier) => Map(x, destination, Log);

    internal static void Log1p(ReadOnlySpan<float> x, Span<float> destination, SimdTier tier) => Map(x, destination, Log1p);

    private static void Map(ReadOnlySpan<float> x, Span<float> destination, Func<float, float> f)
    {
        if (destination.Length < x.Length)
        {
            ThrowHelper.ThrowArgument($"destination has {destination.Length} elements but the input has {x.Length}", nameof(destination));
        }

        for (int i = 0; i < x.Length; i++)
        {
            destination[i] = f(x[i]);
        }
    }
}
