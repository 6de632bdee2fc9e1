using System.CommandLine;
using LaxScan.Cli.Parsing;
using LaxScan.Random;

namespace LaxScan.Cli.Commands;

/// <summary><c>laxscan random split</c>: <c>jax.random.split(key, num)</c> as <c>[[k0,k1],...]</c>.</summary>
internal static class RandomSplitCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        var command = new Command("split", "jax.random.split(key, num): prints [[k0,k1], ...], num keys of two uint32 words.");
        CliHelp.Examples(
            command,
            "laxscan random split --seed 0",
            "laxscan random split --key 0,42 --num 4 --threefry original");
        KeyOptions keys = KeyOptions.AddTo(command);
        Option<int?> num = CliOptions.Create<int>("--num", "N", "How many keys. [default: 2]", CliValues.TryParseInt32);
        command.Options.Add(num);
        OutOptions output = OutOptions.AddTo(command, "the keys as a uint32 array of shape (N, 2)");
        command.SetAction(result =>
        {
            int n = result.GetValue(num) ?? 2;
            if (n >= 0)
            {
                // The original layout hashes 2N counters at once: refuse a count whose words cannot be allocated.
                ArraySize.EnsureAllocatable(2L * n, sizeof(uint), $"split into {n:N0} keys");
            }

            PrngKey key = keys.GetKey(result);
            ThreefryMode mode = keys.GetMode(result);
            PrngKey[] split = context.Compute(() => JaxRandom.Split(key, n, mode));
            return context.Emit(KeyArray.Of(split), output.Get(result));
        });
        return command;
    }
}
