using System.Runtime.CompilerServices;
using LaxScan.Random;

namespace LaxScan.Nn;

public static partial class Initializers
{
    // Initializers whose arrays are not JAX's bits; everything else in this class is bit-exact.
    private static readonly ConditionalWeakTable<Initializer, string> NotJaxBits = [];

    /// <summary>
    /// <c>orthogonal(scale, column_axis)</c>: a (semi-)orthogonal matrix drawn as JAX draws it, <b>but not JAX's
    /// bits</b>. JAX takes <c>normal(key, (max(n, m), min(n, m)))</c>, factors it with LAPACK's QR (through jaxlib's
    /// bundled OpenBLAS/SciPy kernels, whose rounding depends on the library build and the CPU), multiplies Q's columns
    /// by the signs of R's diagonal, and transposes when there are fewer rows than columns (jax/_src/random/core.py
    /// <c>_orthogonal</c>). LaxScan draws the same normal matrix bit for bit and factors it with a Householder QR in
    /// double precision, so the result is orthogonal and agrees with JAX's to within float32 rounding, not bit for bit.
    /// </summary>
    /// <remarks>
    /// Flax's recurrent cells use this as their default <c>recurrent_kernel_init</c>. A model <i>initialized</i> with it
    /// therefore starts from other weights than JAX's; a model <i>applied</i> from a checkpoint does not depend on it. Pass
    /// another initializer (such as <see cref="LecunNormal"/>) where the init must match JAX bit for bit.
    /// <see cref="IsJaxBitExact"/> is false for the initializers this returns.
    /// </remarks>
    /// <param name="scale">Multiplies the matrix (JAX: <c>jnp.array(scale, float32) * Q</c>).</param>
    /// <param name="columnAxis">The axis whose entries form the orthonormal columns (default -1).</param>
    public static Initializer Orthogonal(float scale = 1f, int columnAxis = -1)
    {
        Initializer init = (key, shape, mode) =>
        {
            ArgumentNullException.ThrowIfNull(shape);
            if (shape.Rank < 2)
            {
                ThrowHelper.ThrowArgument("orthogonal initializer requires at least a 2D shape", nameof(shape));
            }

            int axis = shape.NormalizeAxis(columnAxis);
            var result = new NDArray<float>(shape);
            if (shape.Size == 0)
            {
                return result;
            }

            int cols = shape[axis];
            int rows = checked((int)(shape.Size / cols));
            float[] q = SemiOrthogonal(key, rows, cols, mode);

            // Q has shape (rows, cols) with rows = the other axes in order; move its last axis back to column_axis.
            int[] dims = shape.Dimensions.ToArray();
            long inner = 1;
            for (int d = axis + 1; d < dims.Length; d++)
            {
                inner *= dims[d];
            }

            Span<float> values = result.Span;
            for (int r = 0; r < rows; r++)
            {
                long outer = r / inner;
                long rest = r % inner;
                for (int c = 0; c < cols; c++)
                {
                    long flat = (((outer * cols) + c) * inner) + rest;
                    values[(int)flat] = scale * q[(r * cols) + c];
                }
            }

            return result;
        };
        NotJaxBits.Add(init, "orthogonal(): LAPACK's QR in JAX, a double-precision Householder QR here");
        return init;
    }

    /// <summary>
    /// Whether the initializer returns JAX's bits: true for every initializer of this class except
    /// <see cref="Orthogonal"/> (and for initializers made elsewhere, which LaxScan cannot judge).
    /// </summary>
    /// <param name="initializer">An initializer.</param>
    public static bool IsJaxBitExact(Initializer initializer)
    {
        ArgumentNullException.ThrowIfNull(initializer);
        return !NotJaxBits.TryGetValue(initializer, out _);
    }

    /// <summary>jax.random.orthogonal(key, n, (), float32, m) in double precision, rounded to float32: (n, m) row-major.</summary>
    private static float[] SemiOrthogonal(PrngKey key, int n, int m, ThreefryMode mode)
    {
        int tall = Math.Max(n, m);
        int wide = Math.Min(n, m);
        NDArray<float> z = JaxRandom.Normal(key, new Shape(tall, wide), mode);
        double[] q = HouseholderQr.ThinQWithPositiveDiagonal(z.Span, tall, wide);
        float[] result = new float[n * m];
        for (int i = 0; i < tall; i++)
        {
            for (int j = 0; j < wide; j++)
            {
                // n < m: JAX returns the transpose.
                int at = n >= m ? (i * m) + j : (j * m) + i;
                result[at] = (float)q[(i * wide) + j];
            }
        }

        return result;
    }
}
