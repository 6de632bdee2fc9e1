using System.CommandLine;
using LaxScan.Cli.Parsing;
using LaxScan.Random;

namespace LaxScan.Cli.Commands;

/// <summary><c>laxscan random truncated-normal</c>: <c>jax.random.truncated_normal(key, lower, upper, shape, float32)</c>.</summary>
internal static class RandomTruncatedNormalCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        var command = new Command("truncated-normal", "jax.random.truncated_normal(key, lower, upper, shape, float32): a standard normal truncated to (lower, upper).");
        CliHelp.Examples(
            command,
            "laxscan random truncated-normal --seed 0 --shape 3",
            "laxscan random truncated-normal --seed 0 --shape 2,3 --lower -1 --upper 1.5");
        KeyOptions keys = KeyOptions.AddTo(command);
        Option<int[]?> shape = CliOptions.Shape(Help.Shape);
        Option<float?> lower = CliOptions.Create<float>("--lower", "L", "The lower bound, read as a Python float then rounded to float32. [default: -2]", CliValues.TryParseFloat32);
        Option<float?> upper = CliOptions.Create<float>("--upper", "U", "The upper bound, read like --lower. [default: 2]", CliValues.TryParseFloat32);
        command.Options.Add(shape);
        command.Options.Add(lower);
        command.Options.Add(upper);
        OutOptions output = OutOptions.AddTo(command, "the float32 array");
        command.SetAction(result =>
        {
            PrngKey key = keys.GetKey(result);
            var s = new Shape(result.GetValue(shape) ?? []);
            float l = result.GetValue(lower) ?? -2f;
            float u = result.GetValue(upper) ?? 2f;
            ThreefryMode mode = keys.GetMode(result);
            NDArray<float> values = context.Compute(() => JaxRandom.TruncatedNormal(key, s, l, u, mode));
            return context.Emit(values, output.Get(result));
        });
        return command;
    }
}
