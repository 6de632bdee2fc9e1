using System.CommandLine;
using LaxScan.Cli.Output;
using LaxScan.Cli.Parsing;
using LaxScan.Models;
using LaxScan.Random;

namespace LaxScan.Cli.Plotting;

/// <summary>
/// <c>run --plot FILE.png</c>: records the states of the run through <see cref="LaxScanOptions.OnStep"/> and draws
/// them after the run, before the JSON is printed. The PNG is written by the library's one writer
/// (<see cref="LaxScan.Io.OutputFile"/>): complete or absent; a failure leaves no temporary file and stdout empty.
/// </summary>
internal sealed class RunPlot
{
    private readonly string _path;
    private readonly StateRecorder _recorder;
    private readonly RunPlotCaption _caption;

    private RunPlot(string path, StateRecorder recorder, RunPlotCaption caption)
    {
        _path = path;
        _recorder = recorder;
        _caption = caption;
    }

    /// <summary>Adds <c>--plot FILE.png</c> to <paramref name="command"/>; a name not ending in .png is a usage error.</summary>
    public static OutputPathOption AddOption(Command command)
    {
        OutputPathOption plot = CliOptions.OutputPath(
            "--plot",
            "FILE.png",
            $"Also draw the run into this PNG ({RunPlotRenderer.Width}x{RunPlotRenderer.Height}): a heatmap of the states h[t] for t = 0..T "
            + $"and their L2 norm per step. Beyond {StateRecorder.MaxColumns} steps the steps are averaged in bins, beyond "
            + $"{StateRecorder.MaxRows} units every k-th unit is shown; the title says which. A batch x plots row 0.");
        plot.Validators.Add(result =>
        {
            string? path = result.Tokens.Count > 0 ? result.Tokens[^1].Value : null;
            if (!string.IsNullOrEmpty(path) && !path.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            {
                result.AddError($"--plot writes a PNG image, so its file name must end in .png, but got '{path}'");
            }
        });
        command.Options.Add(plot);
        return plot;
    }

    /// <summary>
    /// When <c>--plot</c> was given (its file already checked, with every output, before the run): returns the
    /// recorder with <paramref name="options"/> extended to feed it (any observer already there still sees every step). Otherwise null and <paramref name="options"/> unchanged. A hidden or steps the
    /// library will reject also gives null: the run then fails with the library's own message.
    /// </summary>
    public static RunPlot? Begin(ParseResult result, OutputPathOption option, KeyOptions keys, string? variablesPath, NDArray<float> x, int hidden, long steps, ref LaxScanOptions options)
    {
        string? path = result.GetValue(option);
        if (path is null || hidden < 1 || steps < 0)
        {
            return null;
        }

        string keyText = variablesPath is not null ? $"params {Path.GetFileName(variablesPath)}"
            : result.GetValue(keys.Key) is PrngKey key ? $"key [{key.K0}, {key.K1}]"
            : $"seed {result.GetValue(keys.Seed) ?? 0}";
        string mode = keys.GetMode(result) == ThreefryMode.Original ? "original" : "partitionable";
        int? batch = x.Shape.Rank == 2 ? x.Shape[0] : null;
        var plot = new RunPlot(path, new StateRecorder(hidden, steps), new RunPlotCaption(keyText, mode, batch));

        StepObserver? previous = options.OnStep;
        StepObserver record = plot._recorder.Observe;
        options = options with { OnStep = previous is null ? record : previous + record };
        return plot;
    }

    /// <summary>Draws the recorded run and writes the PNG through <paramref name="context"/> (atomically, or in place for a FIFO or device).</summary>
    public void Save(CliContext context)
    {
        if (_recorder.Observed != _recorder.Steps + 1)
        {
            throw new InvalidOperationException($"the plot saw {_recorder.Observed} of the run's {_recorder.Steps + 1} states");
        }

        byte[] png = RunPlotRenderer.RenderPng(_recorder, _caption);
        context.WriteBytes(_path, png);
    }
}
