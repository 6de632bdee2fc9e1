namespace LaxScan.Random;

/// <summary>
/// JAX's <c>jax_threefry_partitionable</c> flag: which counter layout <c>split</c> and <c>random_bits</c> use.
/// It does not change <c>fold_in</c>.
/// </summary>
public enum ThreefryMode
{
    /// <summary>
    /// <c>jax_threefry_partitionable=True</c>, JAX's default since 0.5.0: element i of any output is hashed from the
    /// 64-bit counter i, so <c>split(key, n)[i] == fold_in(key, i)</c>.
    /// </summary>
    Partitionable = 0,

    /// <summary><c>jax_threefry_partitionable=False</c>, JAX's default before 0.5.0: one iota of counters cut in halves.</summary>
    Original = 1,
}
