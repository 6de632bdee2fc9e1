using LaxScan.Random;

namespace LaxScan.Cli.Commands;

/// <summary>Keys as the uint32 arrays JAX's <c>key_data</c> gives: shape (2,) for one key, (N, 2) for N keys.</summary>
internal static class KeyArray
{
    /// <summary>One key as a uint32 array of shape (2,).</summary>
    public static NDArray<uint> Of(PrngKey key) => new(new Shape(2), [key.K0, key.K1]);

    /// <summary>Keys as a uint32 array of shape (N, 2).</summary>
    public static NDArray<uint> Of(PrngKey[] keys)
    {
        var words = new uint[2 * keys.Length];
        for (int i = 0; i < keys.Length; i++)
        {
            words[2 * i] = keys[i].K0;
            words[(2 * i) + 1] = keys[i].K1;
        }

        return new NDArray<uint>(new Shape(keys.Length, 2), words);
    }
}
