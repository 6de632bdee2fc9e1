using LaxScan.Numerics;

namespace LaxScan.Verification;

/// <summary>
/// <c>math</c>: one XLA elementwise function over many inputs. Case fields: <c>fn</c> (<c>tanh</c>, <c>erf</c>,
/// <c>erf_inv</c>, <c>log</c>, <c>log1p</c>, <c>mul1</c>, <c>add0</c>) and <c>x</c> (bits). Result: <c>eager</c> (the
/// function called eagerly) and <c>in_scan</c> (the same inside a <c>lax.scan</c> body), flat lists of bits.
/// </summary>
/// <remarks>
/// <c>mul1</c> and <c>add0</c> (x * 1 and x + 0) probe what XLA does to a no-op: eagerly, JAX passes the constant as
/// an argument, so the operation runs under FTZ/DAZ (a subnormal becomes a signed zero, -0 + 0 = +0); in a scan body
/// the constant is a literal that XLA's algebraic simplifier removes (<c>A * 1 =&gt; A</c>, <c>A + 0 =&gt; A</c>,
/// algebraic_simplifier.cc), so x comes back unchanged. That is LaxScan's reading, not yet checked by a run.
/// </remarks>
internal sealed class MathCaseHandler : ICaseHandler
{
    public string Kind => "math";

    public void Check(CaseCheck check)
    {
        BundleCase c = check.Case;
        float[] x = c.Floats("x");
        string fn = c.String("fn");
        foreach (string field in new[] { "eager", "in_scan" })
        {
            if (!check.Truth.Has(field))
            {
                continue;
            }

            float[] y = new float[x.Length];
            switch (fn)
            {
                case "tanh": XlaMath.Tanh(x, y); break;
                case "erf": XlaMath.Erf(x, y, check.Version); break;
                case "erf_inv": XlaMath.ErfInv(x, y); break;
                case "log": XlaMath.Log(x, y); break;
                case "log1p": XlaMath.Log1p(x, y); break;
                case "mul1": NoOp(x, y, field == "eager", v => v * 1f); break;
                case "add0": NoOp(x, y, field == "eager", v => v + 0f); break;
                default: throw new NotSupportedException($"LaxScan has no elementwise function '{fn}'");
            }

            check.Float32List(field, y);
        }
    }

    private static void NoOp(float[] x, float[] y, bool eager, Func<float, float> op)
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = eager ? XlaMath.FlushToZero(op(XlaMath.FlushToZero(x[i]))) : x[i];
        }
    }
}
