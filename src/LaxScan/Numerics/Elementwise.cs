using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace LaxScan.Numerics;

/// <summary>
/// An elementwise float32 operation written twice with identical bits: a scalar reference and a lane form, so one
/// driver (<see cref="Elementwise.Map{TOp}"/>) specialises per operation with no virtual calls. Operations that need
/// constants carry them as fields of the struct.
/// </summary>
internal interface IElementwise
{
    float Invoke(float x);

    TV Invoke<TL, TV>(TV x)
        where TL : IFloatLanes<TV>
        where TV : struct;
}

/// <summary>The one driver that runs an <see cref="IElementwise"/> over a span at a SIMD tier.</summary>
internal static class Elementwise
{
    /// <summary>
    /// Full vectors of the widest allowed tier, then at most one vector of each narrower tier, then the scalar
    /// reference for the last 0..3 elements.
    /// </summary>
    /// <remarks>
    /// The tail is not done with an overlapping last vector because <paramref name="destination"/> may be
    /// <paramref name="x"/>: the overlap would read results already written in place. Every element is read before it
    /// is written, so in place is safe; a destination shifted against x is the caller's to refuse. Compiled fully
    /// optimised from the first call: a span of thousands of values in tier-0 code (the operation not inlined, every
    /// lane op a call) took 40 times longer, early in every process (issue 13: tanh over 32K values, 416 us vs 10 us).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Map<TOp>(TOp op, ReadOnlySpan<float> x, Span<float> destination, SimdTier tier)
        where TOp : struct, IElementwise
    {
        ref float source = ref MemoryMarshal.GetReference(x);
        ref float target = ref MemoryMarshal.GetReference(destination);
        nuint length = (nuint)x.Length;
        nuint i = 0;
        if (tier >= SimdTier.Vector512)
        {
            i = MapVectors<TOp, FloatLanes512, Vector512<float>>(op, ref source, ref target, i, length);
        }

        if (tier >= SimdTier.Vector256)
        {
            i = MapVectors<TOp, FloatLanes256, Vector256<float>>(op, ref source, ref target, i, length);
        }

        if (tier >= SimdTier.Vector128)
        {
            i = MapVectors<TOp, FloatLanes128, Vector128<float>>(op, ref source, ref target, i, length);
        }

        for (; i < length; i++)
        {
            Unsafe.Add(ref target, i) = op.Invoke(Unsafe.Add(ref source, i));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nuint MapVectors<TOp, TL, TV>(TOp op, ref float source, ref float target, nuint i, nuint length)
        where TOp : struct, IElementwise
        where TL : IFloatLanes<TV>
        where TV : struct
    {
        nuint count = (nuint)TL.Count;
        for (; length - i >= count; i += count)
        {
            TL.Store(op.Invoke<TL, TV>(TL.Load(ref source, i)), ref target, i);
        }

        return i;
    }
}
