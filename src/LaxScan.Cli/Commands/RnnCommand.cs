using System.CommandLine;
using LaxScan.Cli.Io;
using LaxScan.Cli.Parsing;
using LaxScan.Linen;
using LaxScan.Linen.Recurrent;
using LaxScan.Models;

namespace LaxScan.Cli.Commands;

/// <summary>
/// <c>laxscan rnn</c>: applies a Flax checkpoint of <c>nn.RNN(cell)</c> or <c>nn.Bidirectional(...)</c> to a sequence
/// and prints the outputs (with <c>--return-carry</c>, the carry too). <c>laxscan rnn init</c> makes a checkpoint.
/// </summary>
internal static class RnnCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        var command = new Command("rnn", "Apply a Flax nn.RNN(cell) or nn.Bidirectional checkpoint (flax.serialization.to_bytes) to a .npy sequence: model.apply(variables, x). Prints the outputs, (T, H) for x (T, F), (B, T, H) for a batch.");
        CliHelp.Examples(
            command,
            "laxscan rnn --cell lstm --hidden 64 --params variables.msgpack --x-file x.npy",
            "laxscan rnn --cell gru --hidden 32 --params variables.msgpack --x-file x.npy --reverse --keep-order --out y.npy",
            "laxscan rnn --cell lstm --hidden 16 --params bi.msgpack --x-file batch.npy --bidirectional --return-carry --seq-lengths 7,5",
            "laxscan rnn init --cell lstm --hidden 64 --features 8 --seed 0 --out variables.msgpack");
        RnnModelOptions model = RnnModelOptions.AddTo(command);
        Option<string?> paramsPath = CliOptions.FilePath("--params", "variables.msgpack", "The variables, a Flax checkpoint ({\"params\": {\"cell\": ...}}, or forward_rnn/backward_rnn with --bidirectional), as flax.serialization.to_bytes or rnn init --out writes it. Required.");
        paramsPath.Required = true;
        Option<string?> xFile = CliOptions.FilePath("--x-file", "x.npy", "The inputs, float32 .npy: (T, F) for one sequence, (B, T, F) for a batch ((T, B, F) with --time-major). Required.");
        xFile.Required = true;
        var reverse = new Option<bool>("--reverse") { Description = "nn.RNN's reverse=True: process from the last step (outputs in processed order unless --keep-order)." };
        var keepOrder = new Option<bool>("--keep-order") { Description = "nn.RNN's keep_order=True: with --reverse, return the outputs in the input's order." };
        var returnCarry = new Option<bool>("--return-carry") { Description = "return_carry=True: print {\"outputs\": ..., \"carry\": {...}} with the final carry (c and h for the LSTMs)." };
        var timeMajor = new Option<bool>("--time-major") { Description = "time_major=True: x is (T, F) or (T, B, F)." };
        Option<long[]?> seqLengths = CliOptions.CreateReference<long[]>(
            "--seq-lengths",
            "L1,L2,...",
            "seq_lengths: one length per sequence (one value for (T, F)). Padded steps are still computed; with --return-carry the carry is each row's after its last valid step; with --reverse the padding stays at the end.",
            TryParseLengths);
        foreach (Option option in new Option[] { paramsPath, xFile, reverse, keepOrder, returnCarry, timeMajor, seqLengths })
        {
            command.Options.Add(option);
        }

        OutOptions output = OutOptions.AddTo(command, "the outputs as float32");

        RunExtras extras = RunExtras.AddTo(command, "Also write the carry after every step, streamed as the run goes: float32 of shape ([2,] [B,] T, P, H), the forward RNN's steps before the backward's, P = 2 for the LSTMs' (c, h) and 1 otherwise; complete or not at all.");
        command.Validators.Add(result =>
        {
            if (result.GetValue(keepOrder) && !result.GetValue(reverse))
            {
                result.AddError("--keep-order only changes a reversed run; use it with --reverse");
            }

            if (result.GetValue(model.Bidirectional) && (result.GetValue(reverse) || result.GetValue(keepOrder)))
            {
                result.AddError("--bidirectional runs one RNN forward and one reversed with keep_order; drop --reverse/--keep-order");
            }
        });
        command.SetAction(result =>
        {
            RecurrentModel spec = model.GetModel(result) with { Threads = extras.GetThreads(result) };
            string xPath = result.GetValue(xFile)!;
            string variablesPath = result.GetValue(paramsPath)!;
            NDArray<float> x = context.Compute(() => InputFiles.Read("--x-file", xPath, "a .npy file", context.Files.ReadFloat32));
            bool tm = result.GetValue(timeMajor);
            (int steps, Shape batch) = SequenceShape(x.Shape, tm);
            Variables variables = context.Compute(() => InputFiles.Read("--params", variablesPath, "a Flax checkpoint", context.Files.ReadVariables));
            int directions = spec.Bidirectional ? 2 : 1;
            long total = (long)directions * batch.Size * steps;
            Shape traceShape = new([.. directions == 2 ? [2] : Array.Empty<int>(), .. batch.Dimensions, steps, spec.CarryCount, spec.Hidden]);
            var input = new RnnInput(x)
            {
                SeqLengths = result.GetResult(seqLengths) is { Implicit: false } ? result.GetValue(seqLengths) : null,
                ReturnCarry = result.GetValue(returnCarry),
                TimeMajor = tm,
                Reverse = result.GetValue(reverse),
                KeepOrder = result.GetValue(keepOrder),
            };
            RecurrentResult run = RunSession.RunTraced(
                context,
                total,
                traceShape,
                traceShape.Rank - 2,
                extras.GetTrace(result),
                extras.GetProgress(result),
                session =>
                {
                    float[] row = session.Tracing ? new float[spec.CarryCount * spec.Hidden] : [];
                    RnnStepObserver observe = (step, c, h) =>
                    {
                        if (row.Length > 0)
                        {
                            c.CopyTo(row);
                            h.CopyTo(row.AsSpan(c.Length));
                        }

                        session.Observe(step, row);
                    };
                    return (spec with { OnStep = observe }).Apply(variables, input, session.Token);
                });
            OutRequest request = output.Get(result);
            if (run.Carries is null)
            {
                return context.Emit(run.Outputs, request);
            }

            if (request.Path is { } path)
            {
                context.WriteArray(path, run.Outputs);
            }

            // {"outputs": ..., "carry": {"c": ..., "h": ...}}, or "carry": {"forward": {...}, "backward": {...}}.
            Variables carries = Variables.Empty;
            foreach ((string name, RnnCarry carry) in run.Carries)
            {
                Variables parts = carry.Count == 2 ? Variables.Empty.With("c", carry[0]).With("h", carry.H) : Variables.Empty.With("h", carry.H);
                carries = run.Carries.Count == 1 ? parts : carries.With(name, parts);
            }

            return context.EmitVariables(Variables.Empty.With("outputs", run.Outputs).With("carry", carries), request);
        });
        command.Subcommands.Add(RnnInitCommand.Create(context));
        return command;
    }

    /// <summary>T and the batch axes of x, checked: rank 2 or more, with a time axis where time_major puts it.</summary>
    private static (int Steps, Shape Batch) SequenceShape(Shape shape, bool timeMajor)
    {
        if (shape.Rank < 2)
        {
            throw new ArgumentException($"--x-file holds an array of shape {shape}, but rnn needs a sequence: (T, F), or (B, T, F) for a batch ((T, B, F) with --time-major)");
        }

        int timeAxis = timeMajor ? 0 : shape.Rank - 2;
        int[] batch = [.. shape.Dimensions[..^1].ToArray().Where((_, a) => a != timeAxis)];
        return (shape[timeAxis], new Shape(batch));
    }

    private static bool TryParseLengths(string text, string what, out long[] values, out string? error)
    {
        values = [];
        if (!CliValues.TrySplitList(text, what, out string[] items, out error))
        {
            return false;
        }

        long[] result = new long[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            if (!CliValues.TryParseInt64(items[i], $"{what} item {i + 1}", out result[i], out error))
            {
                return false;
            }
        }

        values = result;
        return true;
    }
}
