using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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

    // The tier forces the widest vector used, whatever the hardware: a tier the CPU does not accelerate still gives
    // the same bits (the runtime emulates it), only slowly. That lets the tests run every width on any machine;
    // production callers pass SimdTiers.Default, which never exceeds SimdTiers.Hardware.
    internal static void Tanh(ReadOnlySpan<float> x, Span<float> destination, SimdTier tier) => Map<TanhKernel>(x, destination, tier);

    internal static void Erf(ReadOnlySpan<float> x, Span<float> destination, SimdTier tier) => Map<ErfKernel>(x, destination, tier);

    internal static void ErfInv(ReadOnlySpan<float> x, Span<float> destination, SimdTier tier) => Map<ErfInvKernel>(x, destination, tier);

    internal static void Log(ReadOnlySpan<float> x, Span<float> destination, SimdTier tier) => Map<LogKernel>(x, destination, tier);

    internal static void Log1p(ReadOnlySpan<float> x, Span<float> destination, SimdTier tier) => Map<Log1pKernel>(x, destination, tier);

    /// <summary>
    /// Runs a kernel over a span: full vectors of the widest allowed tier, then at most one vector of each narrower
    /// tier, then the scalar reference for the last 0..3 elements.
    /// </summary>
    /// <remarks>
    /// The tail is not done with an overlapping last vector because <c>destination</c> may be <c>x</c>: the overlap
    /// would read results already written in place. Every element is read before it is written, so in-place is safe.
    /// </remarks>
    private static void Map<TKernel>(ReadOnlySpan<float> x, Span<float> destination, SimdTier tier)
        where TKernel : IUnaryKernel
    {
        if (destination.Length < x.Length)
        {
            ThrowHelper.ThrowArgument($"destination has {destination.Length} elements but the input has {x.Length}; give it at least as many", nameof(destination));
        }

        if (x.Overlaps(destination, out int offset) && offset != 0)
        {
            ThrowHelper.ThrowArgument($"destination overlaps the input shifted by {offset} elements; pass the input itself for in-place, or a separate span", nameof(destination));
        }

        ref float source = ref MemoryMarshal.GetReference(x);
        ref float target = ref MemoryMarshal.GetReference(destination);
        nuint length = (nuint)x.Length;
        nuint i = 0;
        if (tier >= SimdTier.Vector512)
        {
            i = MapVectors<TKernel, FloatLanes512, Vector512<float>>(ref source, ref target, i, length);
        }

        if (tier >= SimdTier.Vector256)
        {
            i = MapVectors<TKernel, FloatLanes256, Vector256<float>>(ref source, ref target, i, length);
        }

        if (tier >= SimdTier.Vector128)
        {
            i = MapVectors<TKernel, FloatLanes128, Vector128<float>>(ref source, ref target, i, length);
        }

        for (; i < length; i++)
        {
            Unsafe.Add(ref target, i) = TKernel.Invoke(Unsafe.Add(ref source, i));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nuint MapVectors<TKernel, TL, TV>(ref float source, ref float target, nuint i, nuint length)
        where TKernel : IUnaryKernel
        where TL : IFloatLanes<TV>
        where TV : struct
    {
        nuint count = (nuint)TL.Count;
        for (; length - i >= count; i += count)
        {
            TL.Store(TKernel.Invoke<TL, TV>(TL.Load(ref source, i)), ref target, i);
        }

        return i;
    }

    /// <summary>A scalar reference and its lane form, so one driver specialises per function without virtual calls.</summary>
    private interface IUnaryKernel
    {
        static abstract float Invoke(float x);

        static abstract TV Invoke<TL, TV>(TV x)
            where TL : IFloatLanes<TV>
            where TV : struct;
    }

    private readonly struct TanhKernel : IUnaryKernel
    {
        public static float Invoke(float x) => Tanh(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TV Invoke<TL, TV>(TV x)
            where TL : IFloatLanes<TV>
            where TV : struct => TanhCore<TL, TV>(x);
    }

    private readonly struct ErfKernel : IUnaryKernel
    {
        public static float Invoke(float x) => Erf(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TV Invoke<TL, TV>(TV x)
            where TL : IFloatLanes<TV>
            where TV : struct => ErfCore<TL, TV>(x);
    }

    private readonly struct ErfInvKernel : IUnaryKernel
    {
        public static float Invoke(float x) => ErfInv(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TV Invoke<TL, TV>(TV x)
            where TL : IFloatLanes<TV>
            where TV : struct => ErfInvCore<TL, TV>(x);
    }

    private readonly struct LogKernel : IUnaryKernel
    {
        public static float Invoke(float x) => Log(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TV Invoke<TL, TV>(TV x)
            where TL : IFloatLanes<TV>
            where TV : struct => LogCore<TL, TV>(x);
    }

    private readonly struct Log1pKernel : IUnaryKernel
    {
        public static float Invoke(float x) => Log1p(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TV Invoke<TL, TV>(TV x)
            where TL : IFloatLanes<TV>
            where TV : struct => Log1pCore<TL, TV>(x);
    }
}
