using System.Runtime.CompilerServices;
using LaxScan.Numerics;

namespace LaxScan.Kernels;

/// <summary>
/// What a GEMV does around its dot products: where each output's accumulator starts, and what is applied to the
/// finished accumulator before it is stored. A type argument of <see cref="Gemv"/> and <see cref="GemvOperator"/>, so
/// each epilogue compiles into its own kernel with no branch per output. The set is closed: use the structs in
/// <see cref="GemvEpilogues"/>.
/// </summary>
/// <remarks>
/// Every epilogue keeps XLA's order for the dot itself: <c>acc = start; acc = fma(W[k, n], x[k], acc)</c> for k
/// ascending. Without an addend, start is +0, except for the last N mod 8 outputs (XLA's scalar epilogue, whose first
/// term is the plain product): they start from -0, which gives exactly <c>rn(W[0, n] * x[0])</c> as the first term.
/// </remarks>
public interface IGemvEpilogue
{
    /// <summary>Whether a call takes an addend b: length N, or B x N for a batch of B rows.</summary>
    internal static abstract bool TakesAddend { get; }

    /// <summary>Whether the accumulator starts from the addend (XLA's output fusion) instead of zero.</summary>
    internal static abstract bool StartsFromAddend { get; }

    /// <summary>The output from the finished accumulator; <paramref name="addend"/> is b[n], or +0 without one.</summary>
    internal static abstract float Finish(float acc, float addend);

    /// <summary>The lane form of <see cref="Finish(float, float)"/>, with the same bits.</summary>
    internal static abstract TV Finish<TL, TV>(TV acc, TV addend)
        where TL : IFloatLanes<TV>
        where TV : struct;
}

/// <summary>The GEMV epilogues: type arguments for <see cref="Gemv"/> and <see cref="GemvOperator"/>.</summary>
/// <remarks>
/// The two addend forms are the two ways XLA:CPU meets <c>x @ W + b</c>. When XLA fuses the add into its GEMV
/// (xla/service/cpu/tiled_dot_emitter.cc at XLA 131bf41: <c>EmitInnerLoopTiled</c> loads the addend as the first
/// column's accumulator, line 372, and the scalar epilogue's first term is <c>Add(addend, product)</c>, line 422,
/// contracted to an FMA like every later term), every output is <c>fma(..., fma(W[0, n], x[0], b[n]))</c>:
/// <see cref="GemvEpilogues.Addend"/>. When the add stays a separate op after the dot (a batch computed as a matrix
/// product, say), it is <c>rn(dot + b)</c>: <see cref="GemvEpilogues.AddAfter"/>. Which one a model meets is the
/// model's to decide from its HLO. All work under flush-to-zero: a subnormal b counts as a signed zero.
/// </remarks>
public static class GemvEpilogues
{
    /// <summary><c>y = x @ W</c>.</summary>
    public readonly struct Identity : IGemvEpilogue
    {
        static bool IGemvEpilogue.TakesAddend => false;

        static bool IGemvEpilogue.StartsFromAddend => false;

        static float IGemvEpilogue.Finish(float acc, float addend) => acc;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static TV IGemvEpilogue.Finish<TL, TV>(TV acc, TV addend) => acc;
    }

    /// <summary><c>y = tanh(x @ W)</c> with XLA's tanh: the step of the LaxScan recurrence.</summary>
    public readonly struct Tanh : IGemvEpilogue
    {
        static bool IGemvEpilogue.TakesAddend => false;

        static bool IGemvEpilogue.StartsFromAddend => false;

        static float IGemvEpilogue.Finish(float acc, float addend) => XlaMath.Tanh(acc);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static TV IGemvEpilogue.Finish<TL, TV>(TV acc, TV addend) => XlaMath.TanhCore<TL, TV>(acc);
    }

    /// <summary>
    /// <c>y = x @ W + b</c> as XLA's fused GEMV computes it: each accumulator starts from <c>b[n]</c>, so the first term
    /// is <c>fma(W[0, n], x[0], b[n])</c>.
    /// </summary>
    public readonly struct Addend : IGemvEpilogue
    {
        static bool IGemvEpilogue.TakesAddend => true;

        static bool IGemvEpilogue.StartsFromAddend => true;

        static float IGemvEpilogue.Finish(float acc, float addend) => acc;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static TV IGemvEpilogue.Finish<TL, TV>(TV acc, TV addend) => acc;
    }

    /// <summary><c>y = tanh(x @ W + b)</c> with the addend fused as in <see cref="Addend"/>, then XLA's tanh.</summary>
    public readonly struct AddendTanh : IGemvEpilogue
    {
        static bool IGemvEpilogue.TakesAddend => true;

        static bool IGemvEpilogue.StartsFromAddend => true;

        static float IGemvEpilogue.Finish(float acc, float addend) => XlaMath.Tanh(acc);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static TV IGemvEpilogue.Finish<TL, TV>(TV acc, TV addend) => XlaMath.TanhCore<TL, TV>(acc);
    }

    /// <summary><c>y = rn(x @ W + b)</c>: the dot as <see cref="Identity"/>, then one rounded add, flushed.</summary>
    public readonly struct AddAfter : IGemvEpilogue
    {
        static bool IGemvEpilogue.TakesAddend => true;

        static bool IGemvEpilogue.StartsFromAddend => false;

        // Both operands are flushed (the dot's accumulator by the kernel, b by the caller), and a sum of flushed
        // floats near 2^-126 is exact, so flushing the rounded sum is XLA's FTZ add.
        static float IGemvEpilogue.Finish(float acc, float addend) => XlaMath.FlushToZero(acc + addend);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static TV IGemvEpilogue.Finish<TL, TV>(TV acc, TV addend) => TL.FlushToZero(TL.Add(acc, addend));
    }

    /// <summary><c>y = tanh(rn(x @ W + b))</c>: <see cref="AddAfter"/>, then XLA's tanh.</summary>
    public readonly struct AddAfterTanh : IGemvEpilogue
    {
        static bool IGemvEpilogue.TakesAddend => true;

        static bool IGemvEpilogue.StartsFromAddend => false;

        static float IGemvEpilogue.Finish(float acc, float addend) => XlaMath.Tanh(XlaMath.FlushToZero(acc + addend));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static TV IGemvEpilogue.Finish<TL, TV>(TV acc, TV addend) => XlaMath.TanhCore<TL, TV>(TL.Add(acc, addend));
    }
}
