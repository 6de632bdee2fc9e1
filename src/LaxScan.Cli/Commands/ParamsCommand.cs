using System.CommandLine;
using LaxScan.Cli.Parsing;
using LaxScan.Linen;
using LaxScan.Models;

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
            "laxscan params --hidden 4 --key 0,42 --threefry original --out W.npy");
        Option<int?> hidden = ModelOptions.Hidden();
        command.Options.Add(hidden);
        KeyOptions keys = KeyOptions.AddTo(command);
        Option<string?> outPath = CliOptions.Out("W as a float32 array of shape (H, H)");
        command.Options.Add(outPath);
        command.SetAction(result =>
        {
            var options = new LaxScanOptions { Linen = new LinenOptions(keys.GetMode(result)) };
            Variables variables = LaxScanFunctions.Params(keys.GetKey(result), result.GetValue(hidden)!.Value, options);
            string? path = result.GetValue(outPath);
            if (path is not null)
            {
                context.Files.Write(path, variables.GetFloat32("params", "W"));
            }

            return context.EmitVariables(variables);
        });
        return command;
    }
}
