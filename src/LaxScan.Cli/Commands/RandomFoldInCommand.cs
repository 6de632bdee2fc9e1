using System.CommandLine;
using LaxScan.Cli.Parsing;
using LaxScan.Random;

namespace LaxScan.Cli.Commands;

/// <summary><c>laxscan random fold-in</c>: <c>jax.random.fold_in(key, data)</c> as <c>[k0,k1]</c>.</summary>
internal static class RandomFoldInCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        var command = new Command("fold-in", "jax.random.fold_in(key, data): prints the new key [k0,k1]. The same in both threefry modes.");
        CliHelp.Examples(
            command,
            "laxscan random fold-in --seed 0 --data 4");
        KeyOptions keys = KeyOptions.AddTo(command);
        Option<uint?> data = CliOptions.Create<uint>("--data", "D", "The uint32 to fold into the key. Required.", CliValues.TryParseUInt32);
        data.Required = true;
        command.Options.Add(data);
        OutOptions output = OutOptions.AddTo(command, "the key as a uint32 array of shape (2,)");
        command.SetAction(result =>
        {
            PrngKey folded = JaxRandom.FoldIn(keys.GetKey(result), result.GetValue(data)!.Value);
            return context.Emit(KeyArray.Of(folded), output.Get(result));
        });
        return command;
    }
}
