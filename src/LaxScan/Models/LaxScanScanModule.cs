using LaxScan.Kernels;
using LaxScan.Linen;
using LaxScan.Linen.Transforms;
using LaxScan.Nn;
using LaxScan.Numerics;

namespace LaxScan.Models;

/// <summary>
/// The seed's module written with <c>nn.scan</c> instead of <c>jax.lax.scan</c>:
/// <code>
/// class Step(nn.Module):
///     hidden: int
///     @nn.compact
///     def __call__(self, carry, _):
///         W = self.param("W", nn.initializers.lecun_normal(), (self.hidden, self.hidden))
///         return jnp.tanh(carry @ W), None
///
/// class LaxScanNnScan(nn.Module):
///     hidden: int
///     T: int
///     @nn.compact
///     def __call__(self, x):
///         ScanStep = nn.scan(Step, variable_broadcast="params", split_rngs={"params": False}, length=self.T + 1)
///         carry, _ = ScanStep(self.hidden)(x, None)     # step 0 is tanh(x @ W), then T more
///         return carry
/// </code>
/// The recurrence is the seed's, but W lives at <c>params/ScanStep_0/W</c> (nn.scan names the class
/// <c>"Scan" + "Step"</c>), so <c>init</c> draws it with that path's key, not the seed's <c>params/W</c> key.
/// </summary>
public sealed class LaxScanScanModule : Module<NDArray<float>, NDArray<float>>
{
    /// <summary>Creates the module.</summary>
    /// <param name="hidden">H, at least 1.</param>
    /// <param name="steps">T, zero or more.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hidden"/> &lt; 1 or <paramref name="steps"/> &lt; 0.</exception>
    public LaxScanScanModule(int hidden, long steps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(hidden, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        Hidden = hidden;
        Steps = steps;
    }

    /// <summary>H.</summary>
    public int Hidden { get; }

    /// <summary>T.</summary>
    public long Steps { get; }

    internal override string TypeName => "LaxScanNnScan";

    /// <inheritdoc />
    protected override NDArray<float> Call(Scope scope, NDArray<float> input)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(input);
        ScanModule<NDArray<float>> scan = LinenTransforms.Scan<NDArray<float>>(new Step(Hidden), ScanOptions.Default with { Length = Steps + 1 });
        return scope.Call(scan, (input, null)).Carry;
    }

    /// <summary>The scanned body: <c>(carry, None) -&gt; (tanh(carry @ W), None)</c>, W made here.</summary>
    private sealed class Step(int hidden) : Module<(NDArray<float> Carry, NDArray<float>? X), (NDArray<float> Carry, NDArray<float>? Y)>
    {
        protected override (NDArray<float> Carry, NDArray<float>? Y) Call(Scope scope, (NDArray<float> Carry, NDArray<float>? X) input)
        {
            NDArray<float> w = scope.Param("W", Initializers.LecunNormal(), new Shape(hidden, hidden));
            if (input.Carry.Shape != new Shape(hidden))
            {
                ThrowHelper.ThrowArgument($"LaxScanScanModule(hidden={hidden}) takes x of shape ({hidden},), but x has shape {input.Carry.Shape}", "x");
            }

            var next = new NDArray<float>(new Shape(hidden));
            Gemv.Multiply(input.Carry.Span, w.Span, next.Span);
            XlaMath.Tanh(next.Span, next.Span);
            return (next, null);
        }
    }
}
