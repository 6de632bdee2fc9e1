using System.CommandLine;
using LaxScan.Cli.Parsing;
using LaxScan.Random;

namespace LaxScan.Cli.Commands;

/// <summary><c>laxscan random uniform</c>: <c>jax.random.uniform(key, shape, float32, minval, maxval)</c>.</summary>
internal static class RandomUniformCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        var command = new Command("uniform", "jax.random.uniform(key, shape, float32, minval, maxval): floats in [minval, maxval).");
        CliHelp.Examples(
            command,
            "laxscan random uniform --seed 0 --shape 3",
            "laxscan random uniform --key 0,7 --shape 2,2 --minval -1 --maxval 1");
        KeyOptions keys = KeyOptions.AddTo(command);
        Option<int[]?> shape = CliOptions.Shape(Help.Shape);
        Option<float?> minval = CliOptions.Create<float>("--minval", "A", "The lower bound, read as a Python float then rounded to float32. [default: 0]", CliValues.TryParseFloat32);
        Option<float?> maxval = CliOptions.Create<float>("--maxval", "B", "The upper bound (excluded), read like --minval. [default: 1]", CliValues.TryParseFloat32);
        command.Options.Add(shape);
        command.Options.Add(minval);
        command.Options.Add(maxval);
        OutOptions output = OutOptions.AddTo(command, "the float32 array");
        command.SetAction(result =>
        {
            PrngKey key = keys.GetKey(result);
            var s = new Shape(result.GetValue(shape) ?? []);
            float a = result.GetValue(minval) ?? 0f;
            float b = result.GetValue(maxval) ?? 1f;
            ThreefryMode mode = keys.GetMode(result);
            NDArray<float> values = context.Compute(() => JaxRandom.Uniform(key, s, a, b, mode));
            return context.Emit(values, output.Get(result));
        });
        return command;
    }
}
