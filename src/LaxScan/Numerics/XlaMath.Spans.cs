using System.Runtime.CompilerServices;

namespace LaxScan.Numerics;

public static partial class XlaMath
{
    /// <summary>Elementwise <see cref="Tanh(float)"/>; <paramref name="destination"/> may be <paramref name="x"/> itself.</summary>
    /// <param name="x">The inputs.</param>
    /// <param name="destination">Receives one result per input; the same bits at every SIMD width.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="destination"/> is shorter than <paramref name="x"/>, or overlaps it without starting at the same element.
    /// </exception>
    public static void Tanh(ReadOnlySpan<float> x, Span<float> destination) => Tanh(x, destination, SimdTiers.Default);

    /// <summary>Elementwise <see cref="Erf(float)"/>; <paramref name="destination"/> may be <paramref name="x"/> itself.</summary>
    /// <param name="x">The inputs.</param>
    /// <param name="destination">Receives one result per input; the same bits at every SIMD width.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="destination"/> is shorter than <paramref name="x"/>, or overlaps it without starting at the same element.
    /// </exception>
    public static void Erf(ReadOnlySpan<float> x, Span<float> destination) => Erf(x, destination, SimdTiers.Default);

    /// <summary>Elementwise <see cref="Erf(float, JaxVersion)"/>: erf with a given JAX release's large-|x| rule.</summary>
    /// <param name="x">The inputs.</param>
    /// <param name="destination">Receives one result per input; the same bits at every SIMD width.</param>
    /// <param name="version">The release whose rule applies (<see cref="JaxVersion.ErfRule"/>).</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="destination"/> is shorter than <paramref name="x"/>, or overlaps it without starting at the same element.
    /// </exception>
    public static void Erf(ReadOnlySpan<float> x, Span<float> destination, JaxVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        Erf(x, destination, version.ErfRule, SimdTiers.Default);
    }

    /// <summary>Elementwise <see cref="ErfInv(float)"/>; <paramref name="destination"/> may be <paramref name="x"/> itself.</summary>
    /// <param name="x">The inputs.</param>
    /// <param name="destination">Receives one result per input; the same bits at every SIMD width.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="destination"/> is shorter than <paramref name="x"/>, or overlaps it without starting at the same element.
    /// </exception>
    public static void ErfInv(ReadOnlySpan<float> x, Span<float> destination) => ErfInv(x, destination, SimdTiers.Default);

    /// <summary>Elementwise <see cref="Log(float)"/>; <paramref name="destination"/> may be <paramref name="x"/> itself.</summary>
    /// <param name="x">The inputs.</param>
    /// <param name="destination">Receives one result per input; the same bits at every SIMD width.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="destination"/> is shorter than <paramref name="x"/>, or overlaps it without starting at the same element.
    /// </exception>
    public static void Log(ReadOnlySpan<float> x, Span<float> destination) => Log(x, destination, SimdTiers.Default);

    /// <summary>Elementwise <see cref="Log1p(float)"/>; <paramref name="destination"/> may be <paramref name="x"/> itself.</summary>
    /// <param name="x">The inputs.</param>
    /// <param name="destination">Receives one result per input; the same bits at every SIMD width.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="destination"/> is shorter than <paramref name="x"/>, or overlaps it without starting at the same element.
    /// </exception>
    public static void Log1p(ReadOnlySpan<float> x, Span<float> destination) => Log1p(x, destination, SimdTiers.Default);

    /// <summary>Elementwise <see cref="Exp(float)"/>; <paramref name="destination"/> may be <paramref name="x"/> itself.</summary>
    /// <param name="x">The inputs.</param>
    /// <param name="destination">Receives one result per input; the same bits at every SIMD width.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="destination"/> is shorter than <paramref name="x"/>, or overlaps it without starting at the same element.
    /// </exception>
    public static void Exp(ReadOnlySpan<float> x, Span<float> destination) => Exp(x, destination, SimdTiers.Default);

    /// <summary>Elementwise <see cref="Logistic(float)"/> (<c>jax.nn.sigmoid</c>); <paramref name="destination"/> may be <paramref name="x"/> itself.</summary>
    /// <param name="x">The inputs.</param>
    /// <param name="destination">Receives one result per input; the same bits at every SIMD width.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="destination"/> is shorter than <paramref name="x"/>, or overlaps it without starting at the same element.
    /// </exception>
    public static void Logistic(ReadOnlySpan<float> x, Span<float> destination) => Logistic(x, destination, SimdTiers.Default);

    // The tier forces the widest vector used, whatever the hardware: a tier the CPU does not accelerate still gives
    // the same bits (the runtime emulates it), only slowly. That lets the tests run every width on any machine;
    // production callers pass SimdTiers.Default, which never exceeds SimdTiers.Hardware.
    internal static void Tanh(ReadOnlySpan<float> x, Span<float> destination, SimdTier tier) => Map<TanhKernel>(x, destination, tier);

    internal static void Erf(ReadOnlySpan<float> x, Span<float> destination, SimdTier tier) => Map<ErfKernel>(x, destination, tier);

    internal static void Erf(ReadOnlySpan<float> x, Span<float> destination, ErfRule rule, SimdTier tier)
    {
        switch (rule)
        {
            case ErfRule.SaturateFrom3_8325: Map<ErfBefore071Kernel>(x, destination, tier); break;
            case ErfRule.ClampAt3_7439: Map<ErfClampedKernel>(x, destination, tier); break;
            default: Map<ErfKernel>(x, destination, tier); break;
        }
    }

    internal static void ErfInv(ReadOnlySpan<float> x, Span<float> destination, SimdTier tier) => Map<ErfInvKernel>(x, destination, tier);

    internal static void Log(ReadOnlySpan<float> x, Span<float> destination, SimdTier tier) => Map<LogKernel>(x, destination, tier);

    internal static void Log1p(ReadOnlySpan<float> x, Span<float> destination, SimdTier tier) => Map<Log1pKernel>(x, destination, tier);

    internal static void Exp(ReadOnlySpan<float> x, Span<float> destination, SimdTier tier) => Map<ExpKernel>(x, destination, tier);

    internal static void Logistic(ReadOnlySpan<float> x, Span<float> destination, SimdTier tier) => Map<LogisticKernel>(x, destination, tier);

    /// <summary>Checks the spans, then runs a kernel through the shared <see cref="Elementwise"/> driver.</summary>
    private static void Map<TKernel>(ReadOnlySpan<float> x, Span<float> destination, SimdTier tier)
        where TKernel : struct, IElementwise
    {
        if (destination.Length < x.Length)
        {
            ThrowHelper.ThrowArgument($"destination has {destination.Length} elements but the input has {x.Length}; give it at least as many", nameof(destination));
        }

        if (x.Overlaps(destination, out int offset) && offset != 0)
        {
            ThrowHelper.ThrowArgument($"destination overlaps the input shifted by {offset} elements; pass the input itself for in-place, or a separate span", nameof(destination));
        }

        Elementwise.Map(default(TKernel), x, destination, tier);
    }

    private readonly struct TanhKernel : IElementwise
    {
        public float Invoke(float x) => Tanh(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV Invoke<TL, TV>(TV x)
            where TL : IFloatLanes<TV>
            where TV : struct => TanhCore<TL, TV>(x);
    }

    private readonly struct ErfKernel : IElementwise
    {
        public float Invoke(float x) => Erf(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV Invoke<TL, TV>(TV x)
            where TL : IFloatLanes<TV>
            where TV : struct => ErfCore<TL, TV>(x);
    }

    private readonly struct ErfBefore071Kernel : IElementwise
    {
        public float Invoke(float x) => Erf(x, ErfRule.SaturateFrom3_8325);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV Invoke<TL, TV>(TV x)
            where TL : IFloatLanes<TV>
            where TV : struct => ErfCore<TL, TV>(x, ErfSaturateBitsBefore071);
    }

    private readonly struct ErfClampedKernel : IElementwise
    {
        public float Invoke(float x) => Erf(x, ErfRule.ClampAt3_7439);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV Invoke<TL, TV>(TV x)
            where TL : IFloatLanes<TV>
            where TV : struct => ErfClampedCore<TL, TV>(x);
    }

    private readonly struct ErfInvKernel : IElementwise
    {
        public float Invoke(float x) => ErfInv(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV Invoke<TL, TV>(TV x)
            where TL : IFloatLanes<TV>
            where TV : struct => ErfInvCore<TL, TV>(x);
    }

    private readonly struct LogKernel : IElementwise
    {
        public float Invoke(float x) => Log(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV Invoke<TL, TV>(TV x)
            where TL : IFloatLanes<TV>
            where TV : struct => LogCore<TL, TV>(x);
    }

    private readonly struct ExpKernel : IElementwise
    {
        public float Invoke(float x) => Exp(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV Invoke<TL, TV>(TV x)
            where TL : IFloatLanes<TV>
            where TV : struct => ExpCore<TL, TV>(x);
    }

    private readonly struct LogisticKernel : IElementwise
    {
        public float Invoke(float x) => Logistic(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV Invoke<TL, TV>(TV x)
            where TL : IFloatLanes<TV>
            where TV : struct => LogisticCore<TL, TV>(x);
    }

    private readonly struct Log1pKernel : IElementwise
    {
        public float Invoke(float x) => Log1p(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV Invoke<TL, TV>(TV x)
            where TL : IFloatLanes<TV>
            where TV : struct => Log1pCore<TL, TV>(x);
    }
}
