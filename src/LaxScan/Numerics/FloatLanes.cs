using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LaxScan.Numerics;

/// <summary>
/// The float32 lane operations the XLA kernels need, so each polynomial is written once and runs at every vector
/// width (System.Runtime.Intrinsics.ISimdVector is internal in .NET 10, hence our own).
/// </summary>
/// <remarks>
/// Every arithmetic member is one correctly rounded IEEE operation per lane (FusedMultiplyAdd rounds once), so a lane
/// computes exactly what the scalar code computes; none of them flushes subnormals, the kernels flush where XLA:CPU's
/// FTZ/DAZ could change a bit. A mask is a vector whose lanes are all ones (true) or all zeros (false). The
/// <c>*Int32</c> members read the float bits as int32, which the kernels use for threshold tests on bit patterns.
/// </remarks>
internal interface IFloatLanes<TV>
    where TV : struct
{
    static abstract int Count { get; }

    static abstract TV Create(float value);

    static abstract TV CreateBits(uint bits);

    static abstract TV Load(ref readonly float source, nuint index);

    static abstract void Store(TV value, ref float destination, nuint index);

    static abstract TV Add(TV a, TV b);

    static abstract TV Subtract(TV a, TV b);

    static abstract TV Multiply(TV a, TV b);

    static abstract TV Divide(TV a, TV b);

    /// <summary><c>a * b + c</c> rounded once, as XLA:CPU's contracted FMA; never an estimate.</summary>
    static abstract TV FusedMultiplyAdd(TV a, TV b, TV c);

    static abstract TV Sqrt(TV a);

    /// <summary>The hardware minimum: unspecified for NaN or a pair of zeros, so only for lanes where neither occurs.</summary>
    static abstract TV MinNative(TV a, TV b);

    /// <summary>The hardware maximum: unspecified for NaN or a pair of zeros, so only for lanes where neither occurs.</summary>
    static abstract TV MaxNative(TV a, TV b);

    /// <summary>IEEE 754 maximum, as <see cref="MathF.Max(float, float)"/>: NaN propagates and +0 is above -0.</summary>
    static abstract TV Max(TV a, TV b);

    /// <summary>IEEE 754 minimum, as <see cref="MathF.Min(float, float)"/>: NaN propagates and -0 is below +0.</summary>
    static abstract TV Min(TV a, TV b);

    /// <summary>Flips the sign bit, NaN included.</summary>
    static abstract TV Negate(TV a);

    /// <summary>Ordered <c>a &lt; b</c>: false when either is NaN.</summary>
    static abstract TV LessThan(TV a, TV b);

    /// <summary>Ordered <c>a == b</c>: false when either is NaN, true for +0 == -0.</summary>
    static abstract TV Equals(TV a, TV b);

    static abstract TV LessThanInt32(TV a, TV b);

    static abstract TV EqualsInt32(TV a, TV b);

    static abstract TV AddInt32(TV a, TV b);

    static abstract TV ShiftRightLogical(TV a, int count);

    static abstract TV ConvertInt32ToSingle(TV a);

    /// <summary>Truncates each lane to an int32 (read back through the float bits); only for lanes whose value fits int32.</summary>
    static abstract TV ConvertToInt32(TV a);

    static abstract TV ShiftLeftLogical(TV a, int count);

    /// <summary>Rounds toward negative infinity (x86 <c>roundps</c> with mode 1); NaN stays NaN.</summary>
    static abstract TV Floor(TV a);

    static abstract TV And(TV a, TV b);

    static abstract TV Or(TV a, TV b);

    static abstract TV Xor(TV a, TV b);

    static abstract TV ConditionalSelect(TV mask, TV whenTrue, TV whenFalse);

    /// <summary>Per lane <see cref="XlaMath.FlushToZero(float)"/>: a subnormal becomes a zero of its sign.</summary>
    static abstract TV FlushToZero(TV a);

    /// <summary>Whether any lane of a comparison mask is set.</summary>
    static abstract bool Any(TV mask);
}

/// <summary>Four float32 lanes in a <see cref="Vector128{T}"/>.</summary>
internal readonly struct FloatLanes128 : IFloatLanes<Vector128<float>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Any(Vector128<float> mask) => Vector128.ExtractMostSignificantBits(mask) != 0;

    public static int Count => Vector128<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Create(float value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> CreateBits(uint bits) => Vector128.Create(bits).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(ref readonly float source, nuint index) => Vector128.LoadUnsafe(in source, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<float> value, ref float destination, nuint index) => value.StoreUnsafe(ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Subtract(Vector128<float> a, Vector128<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Multiply(Vector128<float> a, Vector128<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Divide(Vector128<float> a, Vector128<float> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> FusedMultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) => Vector128.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sqrt(Vector128<float> a) => Vector128.Sqrt(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MinNative(Vector128<float> a, Vector128<float> b) => Vector128.MinNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MaxNative(Vector128<float> a, Vector128<float> b) => Vector128.MaxNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Max(Vector128<float> a, Vector128<float> b) => Vector128.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Min(Vector128<float> a, Vector128<float> b) => Vector128.Min(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Negate(Vector128<float> a) => a ^ Vector128.Create(XlaMath.SignMask).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> LessThan(Vector128<float> a, Vector128<float> b) => Vector128.LessThan(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Equals(Vector128<float> a, Vector128<float> b) => Vector128.Equals(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> LessThanInt32(Vector128<float> a, Vector128<float> b) =>
        Vector128.LessThan(a.AsInt32(), b.AsInt32()).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> EqualsInt32(Vector128<float> a, Vector128<float> b) =>
        Vector128.Equals(a.AsInt32(), b.AsInt32()).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> AddInt32(Vector128<float> a, Vector128<float> b) => (a.AsInt32() + b.AsInt32()).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> ShiftRightLogical(Vector128<float> a, int count) => (a.AsUInt32() >>> count).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> ConvertInt32ToSingle(Vector128<float> a) => Vector128.ConvertToSingle(a.AsInt32());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> ConvertToInt32(Vector128<float> a) => Vector128.ConvertToInt32(a).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> ShiftLeftLogical(Vector128<float> a, int count) => (a.AsUInt32() << count).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Floor(Vector128<float> a) => Vector128.Floor(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> And(Vector128<float> a, Vector128<float> b) => a & b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Or(Vector128<float> a, Vector128<float> b) => a | b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Xor(Vector128<float> a, Vector128<float> b) => a ^ b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> ConditionalSelect(Vector128<float> mask, Vector128<float> whenTrue, Vector128<float> whenFalse) =>
        Vector128.ConditionalSelect(mask, whenTrue, whenFalse);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> FlushToZero(Vector128<float> a)
    {
        // |a| < 2^-126 is false for NaN, so only zeros and subnormals take the sign-only value.
        Vector128<float> tiny = Vector128.LessThan(Vector128.Abs(a), Vector128.Create(XlaMath.SmallestNormalBits).AsSingle());
        return Vector128.ConditionalSelect(tiny, a & Vector128.Create(XlaMath.SignMask).AsSingle(), a);
    }
}

/// <summary>Eight float32 lanes in a <see cref="Vector256{T}"/>.</summary>
internal readonly struct FloatLanes256 : IFloatLanes<Vector256<float>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Any(Vector256<float> mask) => Vector256.ExtractMostSignificantBits(mask) != 0;

    public static int Count => Vector256<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Create(float value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> CreateBits(uint bits) => Vector256.Create(bits).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(ref readonly float source, nuint index) => Vector256.LoadUnsafe(in source, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, ref float destination, nuint index) => value.StoreUnsafe(ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Subtract(Vector256<float> a, Vector256<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Multiply(Vector256<float> a, Vector256<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Divide(Vector256<float> a, Vector256<float> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> FusedMultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Vector256.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sqrt(Vector256<float> a) => Vector256.Sqrt(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MinNative(Vector256<float> a, Vector256<float> b) => Vector256.MinNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MaxNative(Vector256<float> a, Vector256<float> b) => Vector256.MaxNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Max(Vector256<float> a, Vector256<float> b) => Vector256.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Min(Vector256<float> a, Vector256<float> b) => Vector256.Min(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Negate(Vector256<float> a) => a ^ Vector256.Create(XlaMath.SignMask).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LessThan(Vector256<float> a, Vector256<float> b) => Vector256.LessThan(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Equals(Vector256<float> a, Vector256<float> b) => Vector256.Equals(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LessThanInt32(Vector256<float> a, Vector256<float> b) =>
        Vector256.LessThan(a.AsInt32(), b.AsInt32()).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> EqualsInt32(Vector256<float> a, Vector256<float> b) =>
        Vector256.Equals(a.AsInt32(), b.AsInt32()).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> AddInt32(Vector256<float> a, Vector256<float> b) => (a.AsInt32() + b.AsInt32()).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ShiftRightLogical(Vector256<float> a, int count) => (a.AsUInt32() >>> count).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ConvertInt32ToSingle(Vector256<float> a) => Vector256.ConvertToSingle(a.AsInt32());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ConvertToInt32(Vector256<float> a) => Vector256.ConvertToInt32(a).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ShiftLeftLogical(Vector256<float> a, int count) => (a.AsUInt32() << count).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Floor(Vector256<float> a) => Vector256.Floor(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> And(Vector256<float> a, Vector256<float> b) => a & b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Or(Vector256<float> a, Vector256<float> b) => a | b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Xor(Vector256<float> a, Vector256<float> b) => a ^ b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ConditionalSelect(Vector256<float> mask, Vector256<float> whenTrue, Vector256<float> whenFalse) =>
        Vector256.ConditionalSelect(mask, whenTrue, whenFalse);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> FlushToZero(Vector256<float> a)
    {
        // |a| < 2^-126 is false for NaN, so only zeros and subnormals take the sign-only value.
        Vector256<float> tiny = Vector256.LessThan(Vector256.Abs(a), Vector256.Create(XlaMath.SmallestNormalBits).AsSingle());
        return Vector256.ConditionalSelect(tiny, a & Vector256.Create(XlaMath.SignMask).AsSingle(), a);
    }
}

/// <summary>Sixteen float32 lanes in a <see cref="Vector512{T}"/>.</summary>
internal readonly struct FloatLanes512 : IFloatLanes<Vector512<float>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Any(Vector512<float> mask) => Vector512.ExtractMostSignificantBits(mask) != 0;

    public static int Count => Vector512<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Create(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> CreateBits(uint bits) => Vector512.Create(bits).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(ref readonly float source, nuint index) => Vector512.LoadUnsafe(in source, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, ref float destination, nuint index) => value.StoreUnsafe(ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Subtract(Vector512<float> a, Vector512<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Multiply(Vector512<float> a, Vector512<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Divide(Vector512<float> a, Vector512<float> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> FusedMultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sqrt(Vector512<float> a) => Vector512.Sqrt(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MinNative(Vector512<float> a, Vector512<float> b) => Vector512.MinNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MaxNative(Vector512<float> a, Vector512<float> b) => Vector512.MaxNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Max(Vector512<float> a, Vector512<float> b) => Vector512.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Min(Vector512<float> a, Vector512<float> b) => Vector512.Min(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Negate(Vector512<float> a) => a ^ Vector512.Create(XlaMath.SignMask).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LessThan(Vector512<float> a, Vector512<float> b) => Vector512.LessThan(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Equals(Vector512<float> a, Vector512<float> b) => Vector512.Equals(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LessThanInt32(Vector512<float> a, Vector512<float> b) =>
        Vector512.LessThan(a.AsInt32(), b.AsInt32()).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> EqualsInt32(Vector512<float> a, Vector512<float> b) =>
        Vector512.Equals(a.AsInt32(), b.AsInt32()).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> AddInt32(Vector512<float> a, Vector512<float> b) => (a.AsInt32() + b.AsInt32()).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ShiftRightLogical(Vector512<float> a, int count) => (a.AsUInt32() >>> count).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ConvertInt32ToSingle(Vector512<float> a) => Vector512.ConvertToSingle(a.AsInt32());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ConvertToInt32(Vector512<float> a) => Vector512.ConvertToInt32(a).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ShiftLeftLogical(Vector512<float> a, int count) => (a.AsUInt32() << count).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Floor(Vector512<float> a) => Vector512.Floor(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> And(Vector512<float> a, Vector512<float> b) => a & b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Or(Vector512<float> a, Vector512<float> b) => a | b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Xor(Vector512<float> a, Vector512<float> b) => a ^ b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ConditionalSelect(Vector512<float> mask, Vector512<float> whenTrue, Vector512<float> whenFalse) =>
        Vector512.ConditionalSelect(mask, whenTrue, whenFalse);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> FlushToZero(Vector512<float> a)
    {
        // |a| < 2^-126 is false for NaN, so only zeros and subnormals take the sign-only value.
        Vector512<float> tiny = Vector512.LessThan(Vector512.Abs(a), Vector512.Create(XlaMath.SmallestNormalBits).AsSingle());
        return Vector512.ConditionalSelect(tiny, a & Vector512.Create(XlaMath.SignMask).AsSingle(), a);
    }
}
