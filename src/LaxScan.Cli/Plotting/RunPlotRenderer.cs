using System.Globalization;
using ScottPlot;
using SkiaSharp;

namespace LaxScan.Cli.Plotting;

/// <summary>What the plot's title says about the run.</summary>
/// <param name="KeyText">"seed 0" or "key [0, 42]".</param>
/// <param name="Mode">The threefry mode's CLI word.</param>
/// <param name="BatchRows">B for an x of shape (B, H), else null.</param>
internal sealed record RunPlotCaption(string KeyText, string Mode, int? BatchRows);

/// <summary>
/// Draws a recorded run with ScottPlot 5 into a PNG: on top a heatmap of the states (x: step 0..T, y: unit, colour:
/// the state on a symmetric scale taken from the data), below the L2 norm of the state per step on the same step axis.
/// </summary>
internal static class RunPlotRenderer
{
    /// <summary>The image's width in pixels.</summary>
    public const int Width = 1200;

    /// <summary>The image's height in pixels.</summary>
    public const int Height = 800;

    // Both panels share these margins, so their data areas line up and a step is at the same x in each.
    private static readonly PixelPadding Margins = new(left: 90, right: 150, bottom: 60, top: 80);
    private const float HeatmapShare = 0.64f;

    // DejaVu Sans is on Debian and most Linux systems; elsewhere ScottPlot's own pick of a sans-serif font.
    private static readonly Lazy<string> FontFamily = new(() =>
        SKFontManager.Default.MatchFamily("DejaVu Sans") is { } typeface && typeface.FamilyName == "DejaVu Sans" ? "DejaVu Sans" : Fonts.Sans);

    /// <summary>Encodes the plot of <paramref name="recorder"/> as PNG bytes.</summary>
    public static byte[] RenderPng(StateRecorder recorder, RunPlotCaption caption)
    {
        using Plot states = HeatmapPlot(recorder, caption);
        using Plot norms = NormPlot(recorder);

        using SKSurface surface = NewSurface(Width, Height);
        SKCanvas canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        int split = (int)(Height * HeatmapShare);
        DrawPanel(canvas, states, top: 0, height: split);
        DrawPanel(canvas, norms, top: split, height: Height - split);
        canvas.Flush();

        using SKImage image = surface.Snapshot();
        using SKData png = image.Encode(SKEncodedImageFormat.Png, 100)
            ?? throw new InvalidOperationException("cannot encode the plot as PNG");
        return png.ToArray();
    }

    // A plot renders over its whole canvas, so each panel is drawn on its own surface, then placed.
    private static void DrawPanel(SKCanvas canvas, Plot plot, int top, int height)
    {
        using SKSurface panel = NewSurface(Width, height);
        plot.Render(panel.Canvas, Width, height);
        using SKImage image = panel.Snapshot();
        canvas.DrawImage(image, 0, top);
    }

    private static SKSurface NewSurface(int width, int height) =>
        SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException($"cannot create a {width}x{height} drawing surface for the plot");

    private static Plot HeatmapPlot(StateRecorder recorder, RunPlotCaption caption)
    {
        var plot = new Plot();
        Style(plot);
        plot.Layout.Fixed(Margins with { Top = 95, Bottom = 45 });

        // ScottPlot places cells by an Extent from the centre of the first cell to the centre of the last, which needs
        // two cells a side: one extra NaN column and row, beyond the axis limits, make that true for T = 0 and H = 1.
        // Their corner holds a 0, because ScottPlot cannot take a grid with no finite value (a NaN in x gives one).
        double[,] grid = recorder.Heatmap();
        var padded = new double[recorder.Rows + 1, recorder.Columns + 1];
        for (int r = 0; r <= recorder.Rows; r++)
        {
            for (int c = 0; c <= recorder.Columns; c++)
            {
                padded[r, c] = r < recorder.Rows && c < recorder.Columns ? grid[r, c]
                    : r == recorder.Rows && c == recorder.Columns ? 0
                    : double.NaN;
            }
        }

        ScottPlot.Plottables.Heatmap heatmap = plot.Add.Heatmap(padded);
        heatmap.Colormap = new ScottPlot.Colormaps.Balance();
        double scale = ColourScale(grid);
        heatmap.ManualRange = new ScottPlot.Range(-scale, scale);
        heatmap.NaNCellColor = Colors.Black;

        // Row 0 is unit 0, at the bottom. Column c averages steps c*k .. c*k + k - 1 and spans them; row r shows unit
        // r*u and spans units r*u .. r*u + u - 1. The axis limits clip the last column at T and the last row at H - 1.
        heatmap.FlipVertically = true;
        double k = recorder.StepsPerColumn;
        double u = recorder.UnitStride;
        heatmap.Position = new CoordinateRect(
            left: (k - 1) / 2,
            right: (recorder.Columns * k) + ((k - 1) / 2),
            bottom: (u - 1) / 2,
            top: (recorder.Rows * u) + ((u - 1) / 2));
        plot.Axes.SetLimits(-0.5, recorder.Steps + 0.5, -0.5, recorder.Hidden - 0.5);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };

        ScottPlot.Panels.ColorBar bar = plot.Add.ColorBar(heatmap);
        // The scale is the data's (ColourScale); its ends are the colour bar's end ticks.
        bar.Label = grid.Cast<double>().Any(double.IsNaN) ? "state h[t, unit]  (black: NaN)" : "state h[t, unit]";
        bar.LabelStyle.FontSize = 16;
        bar.Axis.TickLabelStyle.FontSize = 14;

        // Both ends and the middle are always labelled (the automatic ticks could leave out -scale).
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        foreach (double fraction in new[] { -1, -0.5, 0, 0.5, 1 })
        {
            ticks.AddMajor(fraction * scale, fraction == 0 ? "0" : Number(fraction * scale));
        }

        bar.Axis.TickGenerator = ticks;

        plot.Title(Title(recorder, caption), size: 20);
        plot.YLabel(recorder.UnitStride == 1 ? "hidden unit" : $"hidden unit (every {Ordinal(recorder.UnitStride)} shown)", size: 16);
        plot.XLabel(string.Empty);
        return plot;
    }

    /// <summary>
    /// The half-width of the colour scale: the 99th percentile of |state| over the drawn cells, so that a few large
    /// states (the first steps, say) do not wash out the rest; the few beyond it take the end colours. The states of
    /// a large H sit near ±0.1, far inside tanh's ±1. All zero (or all NaN): 1.
    /// </summary>
    internal static double ColourScale(double[,] grid)
    {
        double[] magnitudes = [.. grid.Cast<double>().Where(double.IsFinite).Select(Math.Abs).Order()];
        if (magnitudes.Length == 0)
        {
            return 1;
        }

        // The ceil(0.99 n)-th smallest, in integers: 0.99 * 200 is 198.00000000000003 in doubles.
        double percentile = magnitudes[(int)(((99L * magnitudes.Length) + 99) / 100) - 1];
        double scale = percentile > 0 ? percentile : magnitudes[^1];
        return scale > 0 ? scale : 1;
    }

    // Three significant digits, invariant culture: 0.123, 1, 2.5E-05.
    private static string Number(double value) => value.ToString("G3", CultureInfo.InvariantCulture);

    private static Plot NormPlot(StateRecorder recorder)
    {
        var plot = new Plot();
        Style(plot);
        plot.Layout.Fixed(Margins with { Top = 15 });
        (double[] step, double[] mean, double[] min, double[] max) = recorder.Norms();

        // A NaN in x makes every state NaN; such columns (black in the heatmap) have no point here.
        int[] finite = [.. Enumerable.Range(0, step.Length).Where(c => double.IsFinite(mean[c]) && double.IsFinite(min[c]) && double.IsFinite(max[c]))];
        double[] xs = [.. finite.Select(c => step[c])];
        string omitted = finite.Length == step.Length ? string.Empty : $" ({step.Length - finite.Length} of {step.Length} columns NaN, not drawn)";
        if (recorder.StepsPerColumn > 1 && finite.Length > 0)
        {
            ScottPlot.Plottables.FillY band = plot.Add.FillY(xs, [.. finite.Select(c => min[c])], [.. finite.Select(c => max[c])]);
            band.FillColor = Colors.SteelBlue.WithAlpha(0.3);
            band.LineWidth = 0;
            band.LegendText = $"min..max,\n{recorder.StepsPerColumn} steps";
        }

        ScottPlot.Plottables.Scatter line = plot.Add.ScatterLine(xs, [.. finite.Select(c => mean[c])], Colors.SteelBlue);
        line.LineWidth = 2;
        line.LegendText = (recorder.StepsPerColumn > 1 ? $"mean of\n{recorder.StepsPerColumn} steps" : "||h[t]||") + omitted;
        if (finite.Length == 1)
        {
            line.MarkerSize = 8;
        }

        plot.Axes.SetLimitsX(-0.5, recorder.Steps + 0.5);
        double high = max.Where(double.IsFinite).DefaultIfEmpty(1).Max();
        plot.Axes.SetLimitsY(0, high > 0 ? high * 1.08 : 1);
        plot.XLabel("step t (0 = tanh(x @ W), then the T scan steps)", size: 16);
        plot.YLabel("L2 norm ||h[t]||", size: 16);
        // Outside the data area, in the right margin the heatmap's colour bar takes above, so it covers no part of the curve.
        plot.ShowLegend(Edge.Right);
        plot.Legend.FontSize = 12;
        return plot;
    }

    private static void Style(Plot plot)
    {
        plot.Font.Set(FontFamily.Value);
        plot.Axes.Bottom.TickLabelStyle.FontSize = 14;
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.Axes.Left.TickLabelStyle.FontSize = 14;
    }

    private static string Ordinal(int n) => (n % 100, n % 10) switch
    {
        (11 or 12 or 13, _) => $"{n}th",
        (_, 1) => $"{n}st",
        (_, 2) => $"{n}nd",
        (_, 3) => $"{n}rd",
        _ => $"{n}th",
    };

    private static string Title(StateRecorder recorder, RunPlotCaption caption)
    {
        string batch = caption.BatchRows is { } b ? $", x row 0 of {b}" : string.Empty;
        string first = string.Create(
            CultureInfo.InvariantCulture,
            $"laxscan run: {caption.KeyText}, hidden {recorder.Hidden}, T {recorder.Steps}, threefry {caption.Mode}{batch}");
        string steps = recorder.StepsPerColumn == 1 ? "every step" : $"steps averaged in bins of {recorder.StepsPerColumn}";
        string units = recorder.UnitStride == 1 ? "every unit" : $"every {Ordinal(recorder.UnitStride)} unit (strided)";
        return $"{first}\nstates h[t] for t = 0..{recorder.Steps}: {steps}, {units}";
    }
}
