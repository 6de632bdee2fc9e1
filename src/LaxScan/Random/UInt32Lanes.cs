using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LaxScan.Random;

/// <summary>
/// The uint32 lane operations threefry needs, so its block is written once for every vector width. With AVX-512 a
/// rotate is one instruction (vprold) instead of two shifts and an or; the bits are the same.
/// </summary>
internal interface IUInt32Lanes<TV>
    where TV : struct
{
    static abstract int Count { get; }

    /// <summary>The lanes 0, 1, 2, ...</summary>
    static abstract TV Iota { get; }

    static abstract TV Create(uint value);

    static abstract TV Add(TV a, TV b);

    static abstract TV Subtract(TV a, TV b);

    static abstract TV Xor(TV a, TV b);

    static abstract TV RotateLeft(TV a, [ConstantExpected(Min = 1, Max = 31)] byte count);

    /// <summary>All ones in the lanes where <c>a &lt; b</c> (unsigned), zero elsewhere.</summary>
    static abstract TV LessThan(TV a, TV b);

    static abstract TV Load(ReadOnlySpan<uint> source);

    static abstract void Store(TV value, Span<uint> destination);

    static abstract void Store(TV value, ref uint destination, nuint index);
}

internal readonly struct UInt32Lanes128 : IUInt32Lanes<Vector128<uint>>
{
    public static int Count => Vector128<uint>.Count;

    public static Vector128<uint> Iota => Vector128<uint>.Indices;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> Create(uint value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> Add(Vector128<uint> a, Vector128<uint> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> Subtract(Vector128<uint> a, Vector128<uint> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> Xor(Vector128<uint> a, Vector128<uint> b) => a ^ b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> RotateLeft(Vector128<uint> a, [ConstantExpected(Min = 1, Max = 31)] byte count) =>
        Avx512F.VL.IsSupported ? Avx512F.VL.RotateLeft(a, count) : (a << count) | (a >>> (32 - count));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> LessThan(Vector128<uint> a, Vector128<uint> b) => Vector128.LessThan(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> Load(ReadOnlySpan<uint> source) => Vector128.Create(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<uint> value, Span<uint> destination) => value.CopyTo(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<uint> value, ref uint destination, nuint index) => value.StoreUnsafe(ref destination, index);
}

internal readonly struct UInt32Lanes256 : IUInt32Lanes<Vector256<uint>>
{
    public static int Count => Vector256<uint>.Count;

    public static Vector256<uint> Iota => Vector256<uint>.Indices;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> Create(uint value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> Add(Vector256<uint> a, Vector256<uint> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> Subtract(Vector256<uint> a, Vector256<uint> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> Xor(Vector256<uint> a, Vector256<uint> b) => a ^ b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> RotateLeft(Vector256<uint> a, [ConstantExpected(Min = 1, Max = 31)] byte count) =>
        Avx512F.VL.IsSupported ? Avx512F.VL.RotateLeft(a, count) : (a << count) | (a >>> (32 - count));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> LessThan(Vector256<uint> a, Vector256<uint> b) => Vector256.LessThan(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> Load(ReadOnlySpan<uint> source) => Vector256.Create(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<uint> value, Span<uint> destination) => value.CopyTo(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<uint> value, ref uint destination, nuint index) => value.StoreUnsafe(ref destination, index);
}

internal readonly struct UInt32Lanes512 : IUInt32Lanes<Vector512<uint>>
{
    public static int Count => Vector512<uint>.Count;

    public static Vector512<uint> Iota => Vector512<uint>.Indices;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> Create(uint value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> Add(Vector512<uint> a, Vector512<uint> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> Subtract(Vector512<uint> a, Vector512<uint> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> Xor(Vector512<uint> a, Vector512<uint> b) => a ^ b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> RotateLeft(Vector512<uint> a, [ConstantExpected(Min = 1, Max = 31)] byte count) =>
        Avx512F.IsSupported ? Avx512F.RotateLeft(a, count) : (a << count) | (a >>> (32 - count));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> LessThan(Vector512<uint> a, Vector512<uint> b) => Vector512.LessThan(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> Load(ReadOnlySpan<uint> source) => Vector512.Create(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<uint> value, Span<uint> destination) => value.CopyTo(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<uint> value, ref uint destination, nuint index) => value.StoreUnsafe(ref destination, index);
}
