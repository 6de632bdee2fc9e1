using LaxScan.Linen;
using LaxScan.Models;

namespace LaxScan.Verification;

/// <summary>
/// <c>dense</c>: Flax's <c>nn.Dense</c> applied to given variables. Case fields: <c>features</c>, <c>x</c> (bits,
/// shape (in,)), <c>kernel</c> (bits, (in, features)), optional <c>bias</c> (bits, (features,)), <c>where</c>:
/// <c>eager</c> (a plain <c>apply</c>) or <c>scan</c> (the same <c>apply</c> inside a <c>lax.scan</c> body, which JAX
/// compiles whole, so XLA may fuse the bias into the dot). Result: <c>out</c>.
/// </summary>
internal sealed class DenseCaseHandler : ICaseHandler
{
    public string Kind => "dense";

    public void Check(CaseCheck check)
    {
        BundleCase c = check.Case;
        int features = c.Int32("features");
        float[] xs = c.Floats("x");
        var x = new NDArray<float>(new Shape(xs.Length), xs);
        Variables dense = Variables.Empty.With("kernel", new NDArray<float>(new Shape(xs.Length, features), c.Floats("kernel")));
        bool bias = c.Has("bias");
        if (bias)
        {
            dense = dense.With("bias", new NDArray<float>(new Shape(features), c.Floats("bias")));
        }

        var module = new Dense(features) { UseBias = bias };
        var variables = Variables.Empty.With("params", dense);
        var options = new LinenOptions { JaxVersion = check.Version };
        NDArray<float> y;
        switch (c.String("where"))
        {
            case "eager":
                y = module.Apply(variables, x, options);
                break;
            case "scan":
                // One step of a scan whose body applies the layer: the body is one compiled computation in JAX.
                (_, NDArray<float>? ys) = Lax.Scan<NDArray<float>>(carry => (carry, module.Apply(variables, carry, options)), x, 1);
                y = new NDArray<float>(new Shape(features), ys!.Data);
                break;
            default:
                throw c.Invalid($"\"where\" is '{c.String("where")}', not eager or scan");
        }

        check.Float32("out", y);
    }
}
