using System.CommandLine;
using LaxScan.Cli.Parsing;
using LaxScan.Random;

namespace LaxScan.Cli.Commands;

/// <summary>
/// The one shape of the float32 draws (<c>random uniform</c>, <c>normal</c>, <c>truncated-normal</c>): a key, a shape,
/// optionally two bounds read as Python floats, the draw, then the float32 array. Each command gives only its name,
/// its help and its draw.
/// </summary>
internal static class RandomFloatsCommand
{
    /// <summary>A bound option: <c>--minval A</c>, with its help and its value when not given.</summary>
    internal sealed record Bound(string Name, string ValueName, string Description, float Default);

    /// <summary>The draw: key, shape, the two bounds (their defaults when the command has none), the threefry mode.</summary>
    internal delegate NDArray<float> Draw(PrngKey key, Shape shape, float low, float high, ThreefryMode mode);

    /// <summary>Creates a float32 draw command.</summary>
    public static Command Create(CliContext context, string name, string description, string[] examples, (Bound Low, Bound High)? bounds, Draw draw)
    {
        var command = new Command(name, description);
        CliHelp.Examples(command, examples);
        KeyOptions keys = KeyOptions.AddTo(command);
        Option<int[]?> shape = CliOptions.Shape(Help.Shape);
        command.Options.Add(shape);
        Option<float?>? low = bounds is { } b1 ? Add(command, b1.Low) : null;
        Option<float?>? high = bounds is { } b2 ? Add(command, b2.High) : null;
        OutOptions output = OutOptions.AddTo(command, "the float32 array");
        command.SetAction(result =>
        {
            PrngKey key = keys.GetKey(result);
            var s = new Shape(result.GetValue(shape) ?? []);
            float a = low is null ? 0f : result.GetValue(low) ?? bounds!.Value.Low.Default;
            float b = high is null ? 0f : result.GetValue(high) ?? bounds!.Value.High.Default;
            ThreefryMode mode = keys.GetMode(result);
            NDArray<float> values = context.Compute(() => draw(key, s, a, b, mode));
            return context.Emit(values, output.Get(result));
        });
        return command;
    }

    private static Option<float?> Add(Command command, Bound bound)
    {
        Option<float?> option = CliOptions.Create<float>(bound.Name, bound.ValueName, bound.Description, CliValues.TryParseFloat32);
        command.Options.Add(option);
        return option;
    }
}
