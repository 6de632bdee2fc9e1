using LaxScan.Numerics;

namespace LaxScan.Tests.Numerics;

/// <summary>The XLA:CPU check values of jax-parity.md section 4 (what jnp prints on x86-64 for these inputs).</summary>
public class XlaMathCheckValueTests
{
    [Fact] public void ErfInv_of_half() => Bits.Equal(0x3EF430FEu, XlaMath.ErfInv(0.5f));

    [Fact] public void Log_of_ten() => Bits.Equal(0x40135D8Eu, XlaMath.Log(10f));

    [Fact] public void Log1p_of_half() => Bits.Equal(0x3ECF991Fu, XlaMath.Log1p(0.5f));

    [Fact] public void Tanh_of_half() => Bits.Equal(0x3EEC9A9Fu, XlaMath.Tanh(0.5f));

    [Fact] public void Erf_of_one() => Bits.Equal(0x3F57BB3Eu, XlaMath.Erf(1f));
}
