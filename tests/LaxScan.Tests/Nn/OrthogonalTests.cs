using LaxScan.Nn;
using LaxScan.Random;

namespace LaxScan.Tests.Nn;

/// <summary>
/// <see cref="Initializers.Orthogonal"/>: documented as not JAX's bits (JAX's QR is LAPACK's), so these tests check
/// what it promises instead: the same normal draws as JAX, an orthogonal result, JAX's shape rules, and closeness to
/// the one value JAX publishes.
/// </summary>
public class OrthogonalTests
{
    [Fact]
    public void It_is_marked_as_not_JAXs_bits_and_the_others_are_not()
    {
        Assert.False(Initializers.IsJaxBitExact(Initializers.Orthogonal()));
        Assert.True(Initializers.IsJaxBitExact(Initializers.LecunNormal()));
        Assert.True(Initializers.IsJaxBitExact(Initializers.Zeros));
    }

    [Theory]
    [InlineData(4, 4)]
    [InlineData(7, 3)]
    [InlineData(3, 7)]
    [InlineData(64, 64)]
    public void Rows_or_columns_are_orthonormal_whichever_side_is_smaller(int rows, int cols)
    {
        NDArray<float> q = Initializers.Orthogonal()(PrngKey.FromSeed(3), new Shape(rows, cols));
        bool columns = rows >= cols;
        int count = columns ? cols : rows;
        int length = columns ? rows : cols;
        for (int a = 0; a < count; a++)
        {
            for (int b = 0; b < count; b++)
            {
                double dot = 0;
                for (int i = 0; i < length; i++)
                {
                    dot += columns ? (double)q[i, a] * q[i, b] : (double)q[a, i] * q[b, i];
                }

                Assert.True(Math.Abs(dot - (a == b ? 1 : 0)) < 1e-5, $"({a}, {b}) product {dot}");
            }
        }
    }

    [Fact]
    public void The_published_docstring_value_of_key_42_is_matched_to_float32_rounding()
    {
        // jax/_src/nn/initializers.py orthogonal docstring (marked doctest: +SKIP, as LAPACK's rounding varies):
        // orthogonal()(jax.random.key(42), (2, 3), jnp.float32). It was printed before JAX 0.5, with the original
        // threefry (with the partitionable one the values are unrelated). Evidence that the draws, the QR's sign rule
        // and the transpose follow JAX; LaxScan does not promise these bits.
        float[] printed = [3.9026976e-01f, 7.2495741e-01f, -5.6756169e-01f, 8.8047469e-01f, -4.7409311e-01f, -1.3157725e-04f];
        NDArray<float> q = Initializers.Orthogonal()(PrngKey.FromSeed(42), new Shape(2, 3), ThreefryMode.Original);
        double worst = 0;
        for (int i = 0; i < printed.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(q.Span[i] - printed[i]));
        }

        // Measured 1.28e-7 (two float32 ulps at 0.88): LAPACK's float32 QR against a double-precision one.
        Assert.True(worst <= 1.3e-7, $"largest difference {worst:E3} from the docstring's values (measured 1.28e-7)");
    }

    [Fact]
    public void Scale_multiplies_and_column_axis_picks_the_orthonormal_axis()
    {
        PrngKey key = PrngKey.FromSeed(5);
        NDArray<float> plain = Initializers.Orthogonal()(key, new Shape(3, 5));
        NDArray<float> scaled = Initializers.Orthogonal(scale: 2f)(key, new Shape(3, 5));
        for (int i = 0; i < plain.Length; i++)
        {
            Bits.Equal(2f * plain.Span[i], scaled.Span[i]);
        }

        // column_axis=0 on (5, 3) is the transpose of column_axis=-1 on (3, 5): the same (rows=3, cols=5) matrix, moved.
        NDArray<float> moved = Initializers.Orthogonal(columnAxis: 0)(key, new Shape(5, 3));
        for (int r = 0; r < 3; r++)
        {
            for (int c = 0; c < 5; c++)
            {
                Bits.Equal(plain[r, c], moved[c, r]);
            }
        }
    }

    [Fact]
    public void A_rank_1_shape_is_refused_with_JAXs_words()
    {
        var e = Assert.Throws<ArgumentException>(() => Initializers.Orthogonal()(PrngKey.FromSeed(0), new Shape(4)));
        Assert.Contains("orthogonal initializer requires at least a 2D shape", e.Message, StringComparison.Ordinal);
    }
}
