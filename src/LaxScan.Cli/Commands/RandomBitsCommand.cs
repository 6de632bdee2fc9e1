using System.CommandLine;
using System.Numerics;
using LaxScan.Cli.Parsing;
using LaxScan.Random;

namespace LaxScan.Cli.Commands;

/// <summary><c>laxscan random bits</c>: <c>jax.random.bits(key, shape, uint8|16|32|64)</c> as JSON integers.</summary>
internal static class RandomBitsCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        var command = new Command("bits", "jax.random.bits(key, shape, dtype): uniformly random unsigned integers of 8, 16, 32 or 64 bits.");
        CliHelp.Examples(
            command,
            "laxscan random bits --seed 0",
            "laxscan random bits --seed 1701 --shape 3 --width 8 --threefry original");
        KeyOptions keys = KeyOptions.AddTo(command);
        Option<int[]?> shape = CliOptions.Shape(Help.Shape);
        Option<int?> width = CliOptions.Choice("--width", "Bits per integer: 8, 16, 32 or 64. [default: 32]", ("8", 8), ("16", 16), ("32", 32), ("64", 64));
        command.Options.Add(shape);
        command.Options.Add(width);
        OutOptions output = OutOptions.AddTo(command, "the integers (uint8, uint16, uint32 or uint64)");
        command.SetAction(result =>
        {
            PrngKey key = keys.GetKey(result);
            ThreefryMode mode = keys.GetMode(result);
            var s = new Shape(result.GetValue(shape) ?? []);
            OutRequest request = output.Get(result);
            return (result.GetValue(width) ?? 32) switch
            {
                8 => Emit<byte>(context, key, s, mode, request),
                16 => Emit<ushort>(context, key, s, mode, request),
                64 => Emit<ulong>(context, key, s, mode, request),
                _ => Emit<uint>(context, key, s, mode, request),
            };
        });
        return command;
    }

    private static int Emit<T>(CliContext context, PrngKey key, Shape shape, ThreefryMode mode, OutRequest output)
        where T : unmanaged, IUnsignedNumber<T>, ISpanFormattable =>
        context.Emit(context.Compute(() => JaxRandom.Bits<T>(key, shape, mode)), output);
}
