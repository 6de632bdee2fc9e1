using LaxScan.Numerics;

namespace LaxScan.Verification;

/// <summary>
/// <c>rnn_math</c>: XLA's float32 <c>exp</c> and <c>jax.nn.sigmoid</c> (reference/jax/kinds/rnn.py). Case fields:
/// <c>fn</c> (<c>exp</c> or <c>sigmoid</c>), <c>x</c> (bits). Result fields: <c>eager</c> and <c>in_scan</c>; both are
/// one XLA computation per call, so LaxScan gives both the same bits.
/// </summary>
internal sealed class RnnMathCaseHandler : ICaseHandler
{
    public string Kind => "rnn_math";

    public void Check(CaseCheck check)
    {
        float[] x = check.Case.Floats("x");
        float[] y = new float[x.Length];
        switch (check.Case.String("fn"))
        {
            case "exp":
                XlaMath.Exp(x, y);
                break;
            case "sigmoid":
                XlaMath.Logistic(x, y);
                break;
            default:
                throw check.Case.Invalid($"\"fn\" is '{check.Case.String("fn")}', not exp or sigmoid");
        }

        check.Float32List("eager", y);
        check.Float32List("in_scan", y);
    }
}
