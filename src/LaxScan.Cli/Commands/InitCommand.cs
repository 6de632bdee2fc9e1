using System.CommandLine;
using LaxScan.Cli.Parsing;
using LaxScan.Nn;
using LaxScan.Random;

namespace LaxScan.Cli.Commands;

/// <summary><c>laxscan init NAME</c>: the array <c>jax.nn.initializers.NAME(...)(key, shape, float32)</c> makes.</summary>
internal static class InitCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        var command = new Command("init", "jax.nn.initializers.NAME(...)(key, shape, float32): the raw initializer call, with no Flax key derivation.");
        CliHelp.Examples(
            command,
            "laxscan init lecun_normal --seed 0 --shape 4,3",
            "laxscan init variance_scaling --seed 0 --shape 3,5 --scale 2 --mode fan_avg --distribution uniform",
            "laxscan init constant --shape 2 --value 0.5");
        var name = new Argument<string>("NAME") { Description = $"The initializer: {string.Join(", ", Initializers.Names)}. Options it does not take are a usage error." };
        name.Validators.Add(result =>
        {
            string given = result.GetValueOrDefault<string>();
            if (!Initializers.Names.Contains(given))
            {
                result.AddError($"unknown initializer '{given}'; known: {string.Join(", ", Initializers.Names)}");
            }
        });
        command.Arguments.Add(name);

        KeyOptions keys = KeyOptions.AddTo(command);
        Option<int[]?> shape = CliOptions.Shape("The shape, comma-separated extents such as 4,3. Required.");
        shape.Required = true;
        Option<float?> stddev = CliOptions.Create<float>("--stddev", "X", "stddev of normal and truncated_normal. [default: 0.01]", CliValues.TryParseFloat32);
        Option<double?> scale = CliOptions.Create<double>("--scale", "X", "scale of uniform [default: 0.01] and variance_scaling [default: 1].", CliValues.TryParseFloat64);
        Option<float?> value = CliOptions.Create<float>("--value", "X", "value of constant. Required for constant.", CliValues.TryParseFloat32);
        Option<float?> lower = CliOptions.Create<float>("--lower", "L", "lower of truncated_normal. [default: -2]", CliValues.TryParseFloat32);
        Option<float?> upper = CliOptions.Create<float>("--upper", "U", "upper of truncated_normal. [default: 2]", CliValues.TryParseFloat32);
        Option<FanMode?> mode = CliOptions.Choice(
            "--mode",
            "mode of variance_scaling. [default: fan_in]",
            ("fan_in", FanMode.FanIn),
            ("fan_out", FanMode.FanOut),
            ("fan_avg", FanMode.FanAvg),
            ("fan_geo_avg", FanMode.FanGeoAvg));
        Option<Distribution?> distribution = CliOptions.Choice(
            "--distribution",
            "distribution of variance_scaling. [default: truncated_normal]",
            ("truncated_normal", Distribution.TruncatedNormal),
            ("normal", Distribution.Normal),
            ("uniform", Distribution.Uniform));
        Option<int?> inAxis = CliOptions.Create<int>("--in-axis", "I", "in_axis of the fan-based initializers. [default: -2]", CliValues.TryParseInt32);
        Option<int?> outAxis = CliOptions.Create<int>("--out-axis", "O", "out_axis of the fan-based initializers. [default: -1]", CliValues.TryParseInt32);
        foreach (Option option in new Option[] { shape, stddev, scale, value, lower, upper, mode, distribution, inAxis, outAxis })
        {
            command.Options.Add(option);
        }

        OutOptions output = OutOptions.AddTo(command, "the float32 array");
        command.SetAction(result =>
        {
            var options = new InitializerOptions
            {
                Stddev = result.GetValue(stddev),
                Scale = result.GetValue(scale),
                Value = result.GetValue(value),
                Lower = result.GetValue(lower),
                Upper = result.GetValue(upper),
                Mode = result.GetValue(mode),
                Distribution = result.GetValue(distribution),
                InAxis = result.GetValue(inAxis),
                OutAxis = result.GetValue(outAxis),
            };
            Initializer initializer = Create(result.GetValue(name)!, options);
            PrngKey key = keys.GetKey(result);
            var s = new Shape(result.GetValue(shape)!);
            ThreefryMode threefry = keys.GetMode(result);
            NDArray<float> array = context.Compute(() => initializer(key, s, threefry));
            return context.Emit(array, output.Get(result));
        });
        return command;
    }

    // Options that do not fit the name (one it does not take, constant without a value) are the command line's
    // shape, a usage error; a value the library then rejects (scale <= 0) is a failure.
    private static Initializer Create(string name, InitializerOptions options)
    {
        IReadOnlyList<string> allowed = Initializers.OptionsOf(name);
        string? extra = options.SetNames().FirstOrDefault(o => !allowed.Contains(o));
        if (extra is not null)
        {
            string takes = allowed.Count == 0 ? "no options" : string.Join(", ", allowed.Select(o => "--" + o.Replace('_', '-')));
            throw new UsageException($"initializer '{name}' does not take --{extra.Replace('_', '-')}; it takes {takes}");
        }

        if (name == "constant" && options.Value is null)
        {
            throw new UsageException("initializer 'constant' needs --value");
        }

        return Initializers.ByName(name, options);
    }
}
