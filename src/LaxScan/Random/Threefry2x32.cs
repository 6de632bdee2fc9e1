using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

using LaxScan.Numerics;

namespace LaxScan.Random;

/// <summary>
/// The Threefry-2x32 block cipher with 20 rounds (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3",
/// the Random123 reference), the hash under every JAX key and random bit.
/// </summary>
internal static class Threefry2x32
{
    // The Skein key-schedule parity constant: ks[2] = k0 ^ k1 ^ this.
    private const uint Parity = 0x1BD1_1BDA;

    /// <summary>Encrypts the counter pair (<paramref name="x0"/>, <paramref name="x1"/>) under the key (<paramref name="k0"/>, <paramref name="k1"/>).</summary>
    public static (uint Y0, uint Y1) Block(uint k0, uint k1, uint x0, uint x1)
    {
        uint k2 = k0 ^ k1 ^ Parity;
        x0 += k0;
        x1 += k1;
        RoundsA(ref x0, ref x1);
        x0 += k1;
        x1 += k2 + 1;
        RoundsB(ref x0, ref x1);
        x0 += k2;
        x1 += k0 + 2;
        RoundsA(ref x0, ref x1);
        x0 += k0;
        x1 += k1 + 3;
        RoundsB(ref x0, ref x1);
        x0 += k1;
        x1 += k2 + 4;
        RoundsA(ref x0, ref x1);
        x0 += k2;
        x1 += k0 + 5;
        return (x0, x1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RoundsA(ref uint x0, ref uint x1)
    {
        Round(ref x0, ref x1, 13);
        Round(ref x0, ref x1, 15);
        Round(ref x0, ref x1, 26);
        Round(ref x0, ref x1, 6);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RoundsB(ref uint x0, ref uint x1)
    {
        Round(ref x0, ref x1, 17);
        Round(ref x0, ref x1, 29);
        Round(ref x0, ref x1, 16);
        Round(ref x0, ref x1, 24);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round(ref uint x0, ref uint x1, int rotation)
    {
        x0 += x1;
        x1 = uint.RotateLeft(x1, rotation);
        x1 ^= x0;
    }

    /// <summary>The same block on every lane of a vector: lane i of the result encrypts lane i of the counters.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Block<TLanes, TV>(uint k0, uint k1, ref TV x0, ref TV x1)
        where TLanes : IUInt32Lanes<TV>
        where TV : struct
    {
        uint k2 = k0 ^ k1 ^ Parity;
        TV ks0 = TLanes.Create(k0), ks1 = TLanes.Create(k1), ks2 = TLanes.Create(k2);
        x0 = TLanes.Add(x0, ks0);
        x1 = TLanes.Add(x1, ks1);
        RoundsA<TLanes, TV>(ref x0, ref x1);
        x0 = TLanes.Add(x0, ks1);
        x1 = TLanes.Add(x1, TLanes.Create(k2 + 1));
        RoundsB<TLanes, TV>(ref x0, ref x1);
        x0 = TLanes.Add(x0, ks2);
        x1 = TLanes.Add(x1, TLanes.Create(k0 + 2));
        RoundsA<TLanes, TV>(ref x0, ref x1);
        x0 = TLanes.Add(x0, ks0);
        x1 = TLanes.Add(x1, TLanes.Create(k1 + 3));
        RoundsB<TLanes, TV>(ref x0, ref x1);
        x0 = TLanes.Add(x0, ks1);
        x1 = TLanes.Add(x1, TLanes.Create(k2 + 4));
        RoundsA<TLanes, TV>(ref x0, ref x1);
        x0 = TLanes.Add(x0, ks2);
        x1 = TLanes.Add(x1, TLanes.Create(k0 + 5));
    }

    /// <summary>
    /// Two independent blocks, their operations interleaved step by step: the 20 rounds are one long dependency chain,
    /// and two chains side by side keep the vector units busy while each waits on its last result.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Block2<TLanes, TV>(uint k0, uint k1, ref TV a0, ref TV a1, ref TV b0, ref TV b1)
        where TLanes : IUInt32Lanes<TV>
        where TV : struct
    {
        uint k2 = k0 ^ k1 ^ Parity;
        TV ks0 = TLanes.Create(k0), ks1 = TLanes.Create(k1), ks2 = TLanes.Create(k2);
        Inject<TLanes, TV>(ref a0, ref a1, ref b0, ref b1, ks0, ks1);
        Rounds2A<TLanes, TV>(ref a0, ref a1, ref b0, ref b1);
        Inject<TLanes, TV>(ref a0, ref a1, ref b0, ref b1, ks1, TLanes.Create(k2 + 1));
        Rounds2B<TLanes, TV>(ref a0, ref a1, ref b0, ref b1);
        Inject<TLanes, TV>(ref a0, ref a1, ref b0, ref b1, ks2, TLanes.Create(k0 + 2));
        Rounds2A<TLanes, TV>(ref a0, ref a1, ref b0, ref b1);
        Inject<TLanes, TV>(ref a0, ref a1, ref b0, ref b1, ks0, TLanes.Create(k1 + 3));
        Rounds2B<TLanes, TV>(ref a0, ref a1, ref b0, ref b1);
        Inject<TLanes, TV>(ref a0, ref a1, ref b0, ref b1, ks1, TLanes.Create(k2 + 4));
        Rounds2A<TLanes, TV>(ref a0, ref a1, ref b0, ref b1);
        Inject<TLanes, TV>(ref a0, ref a1, ref b0, ref b1, ks2, TLanes.Create(k0 + 5));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Inject<TLanes, TV>(ref TV a0, ref TV a1, ref TV b0, ref TV b1, TV k0, TV k1)
        where TLanes : IUInt32Lanes<TV>
        where TV : struct
    {
        a0 = TLanes.Add(a0, k0);
        b0 = TLanes.Add(b0, k0);
        a1 = TLanes.Add(a1, k1);
        b1 = TLanes.Add(b1, k1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Rounds2A<TLanes, TV>(ref TV a0, ref TV a1, ref TV b0, ref TV b1)
        where TLanes : IUInt32Lanes<TV>
        where TV : struct
    {
        Round2<TLanes, TV>(ref a0, ref a1, ref b0, ref b1, 13);
        Round2<TLanes, TV>(ref a0, ref a1, ref b0, ref b1, 15);
        Round2<TLanes, TV>(ref a0, ref a1, ref b0, ref b1, 26);
        Round2<TLanes, TV>(ref a0, ref a1, ref b0, ref b1, 6);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Rounds2B<TLanes, TV>(ref TV a0, ref TV a1, ref TV b0, ref TV b1)
        where TLanes : IUInt32Lanes<TV>
        where TV : struct
    {
        Round2<TLanes, TV>(ref a0, ref a1, ref b0, ref b1, 17);
        Round2<TLanes, TV>(ref a0, ref a1, ref b0, ref b1, 29);
        Round2<TLanes, TV>(ref a0, ref a1, ref b0, ref b1, 16);
        Round2<TLanes, TV>(ref a0, ref a1, ref b0, ref b1, 24);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round2<TLanes, TV>(ref TV a0, ref TV a1, ref TV b0, ref TV b1, [System.Diagnostics.CodeAnalysis.ConstantExpected(Min = 1, Max = 31)] byte rotation)
        where TLanes : IUInt32Lanes<TV>
        where TV : struct
    {
        a0 = TLanes.Add(a0, a1);
        b0 = TLanes.Add(b0, b1);
        a1 = TLanes.Xor(TLanes.RotateLeft(a1, rotation), a0);
        b1 = TLanes.Xor(TLanes.RotateLeft(b1, rotation), b0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RoundsA<TLanes, TV>(ref TV x0, ref TV x1)
        where TLanes : IUInt32Lanes<TV>
        where TV : struct
    {
        x0 = TLanes.Add(x0, x1); x1 = TLanes.Xor(TLanes.RotateLeft(x1, 13), x0);
        x0 = TLanes.Add(x0, x1); x1 = TLanes.Xor(TLanes.RotateLeft(x1, 15), x0);
        x0 = TLanes.Add(x0, x1); x1 = TLanes.Xor(TLanes.RotateLeft(x1, 26), x0);
        x0 = TLanes.Add(x0, x1); x1 = TLanes.Xor(TLanes.RotateLeft(x1, 6), x0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RoundsB<TLanes, TV>(ref TV x0, ref TV x1)
        where TLanes : IUInt32Lanes<TV>
        where TV : struct
    {
        x0 = TLanes.Add(x0, x1); x1 = TLanes.Xor(TLanes.RotateLeft(x1, 17), x0);
        x0 = TLanes.Add(x0, x1); x1 = TLanes.Xor(TLanes.RotateLeft(x1, 29), x0);
        x0 = TLanes.Add(x0, x1); x1 = TLanes.Xor(TLanes.RotateLeft(x1, 16), x0);
        x0 = TLanes.Add(x0, x1); x1 = TLanes.Xor(TLanes.RotateLeft(x1, 24), x0);
    }

    /// <summary>
    /// Encrypts the counters (hi32(start + i), lo32(start + i)) for i in [0, y0.Length): the partitionable layout,
    /// where flat element i of an output is hashed from its own 64-bit index.
    /// </summary>
    internal static void HashIota64(PrngKey key, ulong start, Span<uint> y0, Span<uint> y1, SimdTier tier)
    {
        int n = y0.Length;
        int i = 0;
        if (tier >= SimdTier.Vector512 && n >= Vector512<uint>.Count)
        {
            i = HashIota64<UInt32Lanes512, Vector512<uint>>(key, start, y0, y1);
        }
        else if (tier >= SimdTier.Vector256 && n >= Vector256<uint>.Count)
        {
            i = HashIota64<UInt32Lanes256, Vector256<uint>>(key, start, y0, y1);
        }
        else if (tier >= SimdTier.Vector128 && n >= Vector128<uint>.Count)
        {
            i = HashIota64<UInt32Lanes128, Vector128<uint>>(key, start, y0, y1);
        }

        for (; i < n; i++)
        {
            ulong c = start + (ulong)i;
            (y0[i], y1[i]) = Block(key.K0, key.K1, (uint)(c >> 32), (uint)c);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int HashIota64<TLanes, TV>(PrngKey key, ulong start, Span<uint> y0, Span<uint> y1)
        where TLanes : IUInt32Lanes<TV>
        where TV : struct
    {
        int width = TLanes.Count;
        int i = 0;
        for (; i + width <= y0.Length; i += width)
        {
            ulong first = start + (ulong)i;
            TV lo = TLanes.Add(TLanes.Create((uint)first), TLanes.Iota);
            // The high word steps up in the lanes past a carry out of the low word.
            TV carry = TLanes.LessThan(lo, TLanes.Create((uint)first));
            TV hi = TLanes.Subtract(TLanes.Create((uint)(first >> 32)), carry);
            Block<TLanes, TV>(key.K0, key.K1, ref hi, ref lo);
            TLanes.Store(hi, y0[i..]);
            TLanes.Store(lo, y1[i..]);
        }

        return i;
    }

    /// <summary>
    /// Encrypts explicit counter pairs: <c>(y0[i], y1[i]) = block(key, x0[i], x1[i])</c>. The spans may alias.
    /// </summary>
    internal static void Hash(PrngKey key, ReadOnlySpan<uint> x0, ReadOnlySpan<uint> x1, Span<uint> y0, Span<uint> y1, SimdTier tier)
    {
        int n = x0.Length;
        int i = 0;
        if (tier >= SimdTier.Vector512)
        {
            i = Hash<UInt32Lanes512, Vector512<uint>>(key, x0, x1, y0, y1);
        }
        else if (tier >= SimdTier.Vector256)
        {
            i = Hash<UInt32Lanes256, Vector256<uint>>(key, x0, x1, y0, y1);
        }
        else if (tier >= SimdTier.Vector128)
        {
            i = Hash<UInt32Lanes128, Vector128<uint>>(key, x0, x1, y0, y1);
        }

        for (; i < n; i++)
        {
            (y0[i], y1[i]) = Block(key.K0, key.K1, x0[i], x1[i]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Hash<TLanes, TV>(PrngKey key, ReadOnlySpan<uint> x0, ReadOnlySpan<uint> x1, Span<uint> y0, Span<uint> y1)
        where TLanes : IUInt32Lanes<TV>
        where TV : struct
    {
        int width = TLanes.Count;
        int i = 0;
        for (; i + width <= x0.Length; i += width)
        {
            TV a = TLanes.Load(x0[i..]);
            TV b = TLanes.Load(x1[i..]);
            Block<TLanes, TV>(key.K0, key.K1, ref a, ref b);
            TLanes.Store(a, y0[i..]);
            TLanes.Store(b, y1[i..]);
        }

        return i;
    }
}
