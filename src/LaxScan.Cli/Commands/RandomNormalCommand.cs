using System.CommandLine;
using LaxScan.Random;

namespace LaxScan.Cli.Commands;

/// <summary><c>laxscan random normal</c>: <c>jax.random.normal(key, shape, float32)</c>.</summary>
internal static class RandomNormalCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context) => RandomFloatsCommand.Create(
        context,
        "normal",
        "jax.random.normal(key, shape, float32): standard normal floats.",
        ["laxscan random normal --seed 42 --shape 3", "laxscan random normal --seed 0 --threefry original"],
        bounds: null,
        (key, shape, _, _, mode) => JaxRandom.Normal(key, shape, mode));
}
