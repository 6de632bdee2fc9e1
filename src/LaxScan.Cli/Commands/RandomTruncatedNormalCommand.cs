using System.CommandLine;
using LaxScan.Random;

namespace LaxScan.Cli.Commands;

/// <summary><c>laxscan random truncated-normal</c>: <c>jax.random.truncated_normal(key, lower, upper, shape, float32)</c>.</summary>
internal static class RandomTruncatedNormalCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context) => RandomFloatsCommand.Create(
        context,
        "truncated-normal",
        "jax.random.truncated_normal(key, lower, upper, shape, float32): a standard normal truncated to (lower, upper).",
        ["laxscan random truncated-normal --seed 0 --shape 3", "laxscan random truncated-normal --seed 0 --shape 2,3 --lower -1 --upper 1.5"],
        (new("--lower", "L", "The lower bound, read as a Python float then rounded to float32. [default: -2]", -2f),
         new("--upper", "U", "The upper bound, read like --lower. [default: 2]", 2f)),
        (key, shape, lower, upper, mode) => JaxRandom.TruncatedNormal(key, shape, lower, upper, mode));
}
