using System.CommandLine;
using LaxScan.Cli.Parsing;
using LaxScan.Linen;
using LaxScan.Models;
using LaxScan.Random;

namespace LaxScan.Cli.Commands;

/// <summary><c>laxscan params</c>: the variables <c>LaxScanModule(hidden, T).init(key, x)</c> makes.</summary>
internal static class ParamsCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        var command = new Command("params", "The variables LaxScanModule(hidden, T).init(key, x) makes: {\"params\": {\"W\": [[...], ...]}}, W of shape (H, H) from lecun_normal.");
        CliHelp.Examples(
            command,
            "laxscan params --hidden 4 --seed 0",
            "laxscan params --hidden 4 --key 0,42 --threefry original --out W.npy",
            "laxscan params --hidden 4 --seed 0 --out variables.msgpack",
            "laxscan params --hidden 4 --seed 0 --out /dev/stdout --format msgpack | laxscan run --hidden 4 --steps 10 --x 0.5,-1,0.25,2 --params /dev/stdin");
        Option<int?> hidden = ModelOptions.Hidden();
        command.Options.Add(hidden);
        KeyOptions keys = KeyOptions.AddTo(command);
        OutOptions output = OutOptions.AddWithDescription(
            command,
            "Also write W (float32, shape (H, H)) to this NumPy .npy file or, for a path ending in .msgpack (or with --format msgpack), the whole variables tree as a Flax checkpoint (flax.serialization.to_bytes); complete or not at all.");
        Option<OutputFormat?> format = OutputFormats.AddTo(command, output, ("npy", OutputFormat.Npy), ("msgpack", OutputFormat.Msgpack));
        command.SetAction(result =>
        {
            var options = new LaxScanOptions { Linen = new LinenOptions(keys.GetMode(result)) };
            PrngKey key = keys.GetKey(result);
            int h = result.GetValue(hidden)!.Value;
            Variables variables = context.Compute(() => LaxScanFunctions.Params(key, h, options, context.Cancellation));
            OutRequest request = output.Get(result);
            if (request.Path is { } path && OutputFormats.Of(path, result.GetValue(format)) == OutputFormat.Msgpack)
            {
                context.WriteVariables(path, variables);
            }
            else if (request.Path is { } npy)
            {
                context.WriteArray(npy, variables.GetFloat32("params", "W"));
            }

            return context.EmitVariables(variables, request);
        });
        return command;
    }
}
