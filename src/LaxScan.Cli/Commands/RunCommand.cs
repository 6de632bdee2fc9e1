using System.CommandLine;
using LaxScan.Cli.Io;
using LaxScan.Cli.Output;
using LaxScan.Cli.Parsing;
using LaxScan.Cli.Plotting;
using LaxScan.Linen;
using LaxScan.Models;

namespace LaxScan.Cli.Commands;

/// <summary><c>laxscan run</c>: the mission, <c>lax_scan_in_module(seed, x, hidden, T)</c>, printing the final hidden state.</summary>
internal static class RunCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        var command = new Command("run", "lax_scan_in_module(seed, x, hidden, T): init LaxScanModule(hidden, T) with the key and x, apply it to x, print the final hidden state (H floats).");
        CliHelp.Examples(
            command,
            "laxscan run --hidden 4 --steps 10 --x 0.5,-1,0.25,2 --seed 0",
            "laxscan run --hidden 4 --steps 0 --x 1,nan,inf,-inf --key 0,42",
            "laxscan run --hidden 256 --steps 1000 --x-file x.npy --out y.npy",
            "laxscan run --hidden 64 --steps 10000000 --x-file x.npy --threads 1 --progress",
            "laxscan run --hidden 4 --steps 100 --x 0.5,-1,0.25,2 --trace states.npy",
            "laxscan run --hidden 4 --steps 10 --x 0.5,-1,0.25,2 --params variables.msgpack");
        Option<int?> hidden = ModelOptions.Hidden();
        Option<long?> steps = CliOptions.Create<long>("--steps", "T", "T: how many scan steps follow tanh(x @ W); 0 returns tanh(x @ W). Signed 64-bit. Required.", CliValues.TryParseInt64);
        steps.Required = true;
        Option<float[]?> x = CliOptions.CreateReference<float[]>(
            "--x",
            "v1,v2,...",
            "The input, H comma-separated floats read as Python floats then float32; nan, inf, -inf, NaN, Infinity are accepted.",
            CliValues.TryParseFloat32List);
        Option<string?> xFile = CliOptions.FilePath(
            "--x-file",
            "x.npy",
            "The input as a float32 .npy file of shape (H,), or (B, H) for B independent runs; instead of --x.");
        command.Options.Add(hidden);
        command.Options.Add(steps);
        command.Options.Add(x);
        command.Options.Add(xFile);
        KeyOptions keys = KeyOptions.AddTo(command);
        OutOptions output = OutOptions.AddTo(command, "the final hidden state as float32, the shape of x");
        Option<string?> paramsPath = CliOptions.FilePath(
            "--params",
            "variables.msgpack",
            "Apply these variables (a Flax checkpoint, flax.serialization.to_bytes layout, as params --out writes) instead of initializing: Flax's apply, which uses no key, so --seed and --key do not apply.");
        command.Options.Add(paramsPath);
        RunExtras extras = RunExtras.AddTo(command);
        OutputPathOption plotPath = RunPlot.AddOption(command);
        command.Validators.Add(result =>
        {
            bool hasX = result.GetResult(x) is { Implicit: false };
            bool hasFile = result.GetResult(xFile) is { Implicit: false };
            if (hasX == hasFile)
            {
                result.AddError(hasX ? "--x and --x-file both give the input; use one of them" : "the input is missing: give --x v1,v2,... or --x-file x.npy");
            }

            if (result.GetResult(paramsPath) is { Implicit: false } && (result.GetResult(keys.Seed) is { Implicit: false } || result.GetResult(keys.Key) is { Implicit: false }))
            {
                result.AddError("--params applies given variables, which uses no key: drop --seed/--key, or drop --params to initialize W from the key");
            }
        });
        command.SetAction(result =>
        {
            // System.CommandLine reads an absent array option as an empty array, so ask whether --x was given.
            string? xPath = result.GetValue(xFile);
            NDArray<float> input = result.GetResult(x) is { Implicit: false }
                ? new NDArray<float>(new Shape(result.GetValue(x)!.Length), result.GetValue(x)!)
                : context.Compute(() => InputFiles.Read("--x-file", xPath!, "a .npy file", context.Files.ReadFloat32));
            int h = result.GetValue(hidden)!.Value;
            long t = result.GetValue(steps)!.Value;

            // Checks H, T and x's shape (allocating nothing) before the trace is sized from them.
            new LaxScanModule(h, t).CheckInput(input.Shape);
            var options = new LaxScanOptions { Linen = new LinenOptions(keys.GetMode(result)), Threads = extras.GetThreads(result) };
            string? variablesPath = result.GetValue(paramsPath);
            Variables? variables = variablesPath is null ? null
                : context.Compute(() => InputFiles.Read("--params", variablesPath, "a Flax checkpoint", context.Files.ReadVariables));
            RunPlot? plot = RunPlot.Begin(result, plotPath, keys, variablesPath, input, h, t, ref options);
            NDArray<float> state = RunSession.Run(
                context,
                t,
                input.Shape,
                extras.GetTrace(result),
                extras.GetProgress(result),
                session => variables is null
                    ? LaxScanFunctions.LaxScanInModule(keys.GetKey(result), input, h, t, session.Configure(options), session.Token)
                    : LaxScanFunctions.Apply(variables, input, h, t, session.Configure(options), session.Token));
            plot?.Save(context);
            return context.Emit(state, output.Get(result));
        });
        return command;
    }
}
