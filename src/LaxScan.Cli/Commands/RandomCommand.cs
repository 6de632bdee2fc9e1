using System.CommandLine;

namespace LaxScan.Cli.Commands;

/// <summary><c>laxscan random ...</c>: the <c>jax.random</c> functions, one subcommand each.</summary>
internal static class RandomCommand
{
    /// <summary>Creates the <c>random</c> command group.</summary>
    public static Command Create(CliContext context)
    {
        var command = new Command("random", "jax.random: split, fold-in, bits, uniform, normal, truncated-normal.");
        command.Subcommands.Add(RandomSplitCommand.Create(context));
        command.Subcommands.Add(RandomFoldInCommand.Create(context));
        command.Subcommands.Add(RandomBitsCommand.Create(context));
        command.Subcommands.Add(RandomUniformCommand.Create(context));
        command.Subcommands.Add(RandomNormalCommand.Create(context));
        command.Subcommands.Add(RandomTruncatedNormalCommand.Create(context));
        return command;
    }
}
