using System.CommandLine;
using LaxScan.Random;

namespace LaxScan.Cli.Commands;

/// <summary><c>laxscan random uniform</c>: <c>jax.random.uniform(key, shape, float32, minval, maxval)</c>.</summary>
internal static class RandomUniformCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context) => RandomFloatsCommand.Create(
        context,
        "uniform",
        "jax.random.uniform(key, shape, float32, minval, maxval): floats in [minval, maxval).",
        ["laxscan random uniform --seed 0 --shape 3", "laxscan random uniform --key 0,7 --shape 2,2 --minval -1 --maxval 1"],
        (new("--minval", "A", "The lower bound, read as a Python float then rounded to float32. [default: 0]", 0f),
         new("--maxval", "B", "The upper bound (excluded), read like --minval. [default: 1]", 1f)),
        (key, shape, minval, maxval, mode) => JaxRandom.Uniform(key, shape, minval, maxval, mode));
}
