using System.CommandLine;
using LaxScan.Cli.Parsing;
using LaxScan.Random;

namespace LaxScan.Cli.Commands;

/// <summary><c>laxscan random normal</c>: <c>jax.random.normal(key, shape, float32)</c>.</summary>
internal static class RandomNormalCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        var command = new Command("normal", "jax.random.normal(key, shape, float32): standard normal floats.");
        CliHelp.Examples(
            command,
            "laxscan random normal --seed 42 --shape 3",
            "laxscan random normal --seed 0 --threefry original");
        KeyOptions keys = KeyOptions.AddTo(command);
        Option<int[]?> shape = CliOptions.Shape(Help.Shape);
        command.Options.Add(shape);
        OutOptions output = OutOptions.AddTo(command, "the float32 array");
        command.SetAction(result =>
        {
            PrngKey key = keys.GetKey(result);
            var s = new Shape(result.GetValue(shape) ?? []);
            ThreefryMode mode = keys.GetMode(result);
            NDArray<float> values = context.Compute(() => JaxRandom.Normal(key, s, mode));
            return context.Emit(values, output.Get(result));
        });
        return command;
    }
}
