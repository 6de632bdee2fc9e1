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
        Option<string?> outPath = CliOptions.Out("the float32 array");
        command.Options.Add(shape);
        command.Options.Add(outPath);
        command.SetAction(result =>
        {
            NDArray<float> values = JaxRandom.Normal(keys.GetKey(result), new Shape(result.GetValue(shape) ?? []), keys.GetMode(result));
            return context.Emit(values, result.GetValue(outPath));
        });
        return command;
    }
}
