using System.CommandLine;
using LaxScan.Cli.Parsing;
using LaxScan.Linen;
using LaxScan.Models;
using LaxScan.Nn;
using LaxScan.Random;

namespace LaxScan.Cli.Commands;

/// <summary>
/// <c>laxscan rnn init</c>: the variables <c>model.init(key, x)</c> makes for an nn.RNN or nn.Bidirectional model, printed
/// as JSON and written as a Flax checkpoint. Warns on standard error when some params are not JAX's bits.
/// </summary>
internal static class RnnInitCommand
{
    private const string DefaultRecurrentInit = "orthogonal";

    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        var command = new Command("init", "model.init(key, x) for nn.RNN(cell) or nn.Bidirectional: Flax's param paths, order and keys. The recurrent kernels' default orthogonal() is not JAX's bits (a warning says so); every other param is.");
        CliHelp.Examples(
            command,
            "laxscan rnn init --cell lstm --hidden 64 --features 8 --seed 0 --out variables.msgpack",
            "laxscan rnn init --cell gru --hidden 16 --features 4 --recurrent-kernel-init lecun_normal --out variables.msgpack",
            "laxscan rnn init --cell lstm --hidden 8 --features 3 --bidirectional --key 0,42");
        RnnModelOptions model = RnnModelOptions.AddTo(command);
        Option<int?> features = CliOptions.Create<int>("--features", "F", "F: the input's features (x's last axis). Required.", CliValues.TryParseInt32);
        features.Required = true;
        string[] names = [DefaultRecurrentInit, .. Initializers.Names];
        Option<string?> recurrentInit = CliOptions.CreateReference<string>(
            "--recurrent-kernel-init",
            "NAME",
            $"The recurrent kernels' initializer, with its defaults: {string.Join(", ", names)}. orthogonal (Flax's default) uses LAPACK's QR in JAX and is not JAX's bits here; the others are. [default: orthogonal]",
            (string text, string what, out string value, out string? error) =>
            {
                value = text;
                error = names.Contains(text) ? null : $"{what} must be one of {string.Join(", ", names)}, but got '{text}'";
                return error is null;
            });
        KeyOptions keys = KeyOptions.AddTo(command);
        command.Options.Add(features);
        command.Options.Add(recurrentInit);
        OutOptions output = OutOptions.AddWithDescription(
            command,
            "Also write the variables as a Flax checkpoint (flax.serialization.to_bytes, keys in Flax's order); the path must end in .msgpack (or give --format msgpack for a stream such as /dev/stdout); complete or not at all.");
        Option<OutputFormat?> format = OutputFormats.AddTo(command, output, ("msgpack", OutputFormat.Msgpack));
        command.Validators.Add(result =>
        {
            if (result.GetValue(output.Out) is { } path && OutputFormats.Of(path, result.GetValue(format)) != OutputFormat.Msgpack)
            {
                result.AddError($"--out writes a Flax checkpoint, so its file name must end in .msgpack (or give --format msgpack), but got '{path}'");
            }
        });
        command.SetAction(result =>
        {
            string initName = result.GetValue(recurrentInit) ?? DefaultRecurrentInit;
            RecurrentModel spec = model.GetModel(result) with
            {
                RecurrentKernelInit = initName == DefaultRecurrentInit ? null : Initializers.ByName(initName),
            };
            PrngKey key = keys.GetKey(result);
            int inputFeatures = result.GetValue(features)!.Value;
            var linen = new LinenOptions(keys.GetMode(result));
            InitReport<NDArray<float>> report = context.Compute(() => spec.Init(key, inputFeatures, linen, context.Cancellation));
            OutRequest request = output.Get(result);
            if (request.Path is { } path)
            {
                context.WriteVariables(path, report.Variables);
            }

            if (report.NotJaxBits.Count > 0)
            {
                context.Error.Write($"warning: {string.Join(", ", report.NotJaxBits)} were drawn with orthogonal(), whose QR is LAPACK's in JAX: these values are not JAX's bits (every other param is). Pass --recurrent-kernel-init lecun_normal (or another jax.nn.initializers name) for a bit-exact init, or apply a checkpoint Flax wrote.\n");
                context.Error.Flush();
            }

            return context.EmitVariables(report.Variables, request);
        });
        return command;
    }
}
