namespace LaxScan.Nn;

/// <summary>
/// The thin QR factorization by Householder reflections, in double precision, for <see cref="Initializers.Orthogonal"/>.
/// It stands in for LAPACK's <c>sgeqrf</c>/<c>sorgqr</c>, which JAX calls: the same factorization mathematically (Q is
/// unique once R's diagonal signs are fixed), not the same rounding.
/// </summary>
internal static class HouseholderQr
{
    /// <summary>
    /// For A of shape (rows, cols), rows &gt;= cols, row-major: Q (rows, cols) of A = QR with each column of Q multiplied
    /// by the sign of R's diagonal entry (0 for a zero entry), as <c>q * sign(diag(r))</c> in JAX.
    /// </summary>
    public static double[] ThinQWithPositiveDiagonal(ReadOnlySpan<float> a, int rows, int cols)
    {
        if (rows < cols)
        {
            throw new ArgumentException($"the thin QR needs rows >= cols, but got {rows} x {cols}", nameof(rows));
        }

        // Work on a copy of A: after the loop its upper triangle holds R, and the reflectors v_k are kept separately.
        double[] r = new double[rows * cols];
        for (int i = 0; i < r.Length; i++)
        {
            r[i] = a[i];
        }

        var reflectors = new double[cols][];
        for (int k = 0; k < cols; k++)
        {
            double norm = 0;
            for (int i = k; i < rows; i++)
            {
                norm += r[(i * cols) + k] * r[(i * cols) + k];
            }

            norm = Math.Sqrt(norm);
            double[] v = new double[rows - k];
            if (norm == 0)
            {
                reflectors[k] = v;
                continue;
            }

            // v = x + sign(x0) |x| e0, the choice that avoids cancellation; H = I - 2 v v^T / (v^T v).
            double x0 = r[(k * cols) + k];
            double alpha = x0 >= 0 ? -norm : norm;
            for (int i = k; i < rows; i++)
            {
                v[i - k] = r[(i * cols) + k];
            }

            v[0] -= alpha;
            double vv = 0;
            foreach (double e in v)
            {
                vv += e * e;
            }

            for (int j = k; j < cols; j++)
            {
                double dot = 0;
                for (int i = k; i < rows; i++)
                {
                    dot += v[i - k] * r[(i * cols) + j];
                }

                double f = 2 * dot / vv;
                for (int i = k; i < rows; i++)
                {
                    r[(i * cols) + j] -= f * v[i - k];
                }
            }

            reflectors[k] = v;
        }

        // Q = H_0 H_1 ... H_{cols-1} applied to the first cols columns of the identity, last reflector first.
        double[] q = new double[rows * cols];
        for (int j = 0; j < cols; j++)
        {
            q[(j * cols) + j] = 1;
        }

        for (int k = cols - 1; k >= 0; k--)
        {
            double[] v = reflectors[k];
            double vv = 0;
            foreach (double e in v)
            {
                vv += e * e;
            }

            if (vv == 0)
            {
                continue;
            }

            for (int j = 0; j < cols; j++)
            {
                double dot = 0;
                for (int i = k; i < rows; i++)
                {
                    dot += v[i - k] * q[(i * cols) + j];
                }

                double f = 2 * dot / vv;
                for (int i = k; i < rows; i++)
                {
                    q[(i * cols) + j] -= f * v[i - k];
                }
            }
        }

        for (int j = 0; j < cols; j++)
        {
            double sign = Math.Sign(r[(j * cols) + j]);
            for (int i = 0; i < rows; i++)
            {
                q[(i * cols) + j] *= sign;
            }
        }

        return q;
    }
}
