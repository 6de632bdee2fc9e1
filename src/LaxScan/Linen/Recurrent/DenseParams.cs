using LaxScan.Nn;

namespace LaxScan.Linen.Recurrent;

/// <summary>
/// The params of one Flax <c>Dense</c> inside a cell, made the way <c>nn.Dense</c> (and flax/linen/recurrent.py's
/// <c>DenseParams</c>) makes them: <c>kernel</c> of shape (in, features) with this scope's first <c>params</c> key,
/// then <c>bias</c> of shape (features,) with its second. The cell does the arithmetic itself.
/// </summary>
internal sealed class DenseParams : Module<int, (NDArray<float> Kernel, NDArray<float>? Bias)>
{
    public DenseParams(string name, int features, Initializer kernelInit, Initializer? biasInit)
    {
        Name = name;
        Features = features;
        KernelInit = kernelInit;
        BiasInit = biasInit;
    }

    public int Features { get; }

    public Initializer KernelInit { get; }

    /// <summary>The bias's initializer, or null for <c>use_bias=False</c>.</summary>
    public Initializer? BiasInit { get; }

    internal override string TypeName => "Dense";

    /// <summary>Makes or reads the params for inputs of <paramref name="input"/> features.</summary>
    protected override (NDArray<float> Kernel, NDArray<float>? Bias) Call(Scope scope, int input)
    {
        NDArray<float> kernel = scope.Param("kernel", KernelInit, new Shape(input, Features));
        NDArray<float>? bias = BiasInit is null ? null : scope.Param("bias", BiasInit, new Shape(Features));
        return (kernel, bias);
    }
}
