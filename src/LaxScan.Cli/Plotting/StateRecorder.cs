namespace LaxScan.Cli.Plotting;

/// <summary>
/// Collects the states of one run, steps 0..T, into a grid of bounded size for <c>run --plot</c>: at most
/// <see cref="MaxColumns"/> step columns by <see cref="MaxRows"/> unit rows, whatever T and H are.
/// </summary>
/// <remarks>
/// Steps are <b>averaged</b> in consecutive bins of <see cref="StepsPerColumn"/> steps (1 when T + 1 fits), so the
/// heatmap shows every step's contribution. Units are <b>strided</b>: every <see cref="UnitStride"/>-th unit
/// (0, s, 2s, ...) is kept, because averaging different units would show a value no unit has. The norm of each step
/// is over all H units; a column keeps the mean, minimum and maximum of its steps' norms. With a batch (B, H), the
/// observer sees B rows per step and the recorder keeps row 0.
/// </remarks>
internal sealed class StateRecorder
{
    /// <summary>The most step columns the heatmap and the norm curve get.</summary>
    public const int MaxColumns = 2000;

    /// <summary>The most unit rows the heatmap gets.</summary>
    public const int MaxRows = 512;

    private readonly double[] _sums;
    private readonly int[] _counts;
    private readonly double[] _normSum;
    private readonly double[] _normMin;
    private readonly double[] _normMax;

    /// <summary>Sizes the grid for <paramref name="hidden"/> units and <paramref name="steps"/> scan steps.</summary>
    public StateRecorder(int hidden, long steps, int maxColumns = MaxColumns, int maxRows = MaxRows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(hidden, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxColumns, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRows, 1);
        Hidden = hidden;
        Steps = steps;

        // T + 1 states; long.MaxValue steps would overflow, and no run gets that far, so cap the count there.
        long states = steps == long.MaxValue ? long.MaxValue : steps + 1;
        StepsPerColumn = CeilDiv(states, maxColumns);
        Columns = (int)CeilDiv(states, StepsPerColumn);
        UnitStride = (int)CeilDiv(hidden, maxRows);
        Rows = (int)CeilDiv(hidden, UnitStride);

        _sums = new double[Rows * Columns];
        _counts = new int[Columns];
        _normSum = new double[Columns];
        _normMin = new double[Columns];
        _normMax = new double[Columns];
        Array.Fill(_normMin, double.PositiveInfinity);
        Array.Fill(_normMax, double.NegativeInfinity);
    }

    /// <summary>H.</summary>
    public int Hidden { get; }

    /// <summary>T.</summary>
    public long Steps { get; }

    /// <summary>How many consecutive steps one column averages.</summary>
    public long StepsPerColumn { get; }

    /// <summary>Every how many units one row is kept.</summary>
    public int UnitStride { get; }

    /// <summary>The number of step columns.</summary>
    public int Columns { get; }

    /// <summary>The number of unit rows.</summary>
    public int Rows { get; }

    /// <summary>How many states arrived so far.</summary>
    public long Observed { get; private set; }

    /// <summary>The <see cref="Models.StepObserver"/>: adds the state of <paramref name="step"/> (its first H values, row 0 of a batch).</summary>
    public void Observe(long step, ReadOnlySpan<float> state)
    {
        if (step < 0 || step > Steps || state.Length < Hidden)
        {
            throw new ArgumentOutOfRangeException(nameof(step), $"step {step} with {state.Length} values is outside the plot's {Steps + 1} steps of {Hidden} units");
        }

        ReadOnlySpan<float> row = state[..Hidden];
        int column = (int)(step / StepsPerColumn);
        Span<double> sums = _sums.AsSpan(column, _sums.Length - column);
        for (int r = 0; r < Rows; r++)
        {
            sums[r * Columns] += row[r * UnitStride];
        }

        double squares = 0;
        foreach (float v in row)
        {
            squares += (double)v * v;
        }

        double norm = Math.Sqrt(squares);
        _counts[column]++;
        _normSum[column] += norm;

        // NaN compares false both ways; keep it visible in the band instead of dropping it.
        _normMin[column] = double.IsNaN(norm) || norm < _normMin[column] ? norm : _normMin[column];
        _normMax[column] = double.IsNaN(norm) || norm > _normMax[column] ? norm : _normMax[column];
        Observed++;
    }

    /// <summary>The mean state of each (unit row, step column) cell; NaN where no step arrived.</summary>
    public double[,] Heatmap()
    {
        var grid = new double[Rows, Columns];
        for (int r = 0; r < Rows; r++)
        {
            for (int c = 0; c < Columns; c++)
            {
                grid[r, c] = _counts[c] == 0 ? double.NaN : _sums[(r * Columns) + c] / _counts[c];
            }
        }

        return grid;
    }

    /// <summary>The first step of <paramref name="column"/>.</summary>
    public long FirstStep(int column) => column * StepsPerColumn;

    /// <summary>Per column: its middle step, and the mean, minimum and maximum norm of its steps (NaN where no step arrived).</summary>
    public (double[] Step, double[] Mean, double[] Min, double[] Max) Norms()
    {
        var step = new double[Columns];
        var mean = new double[Columns];
        var min = new double[Columns];
        var max = new double[Columns];
        for (int c = 0; c < Columns; c++)
        {
            long first = FirstStep(c);
            long last = Math.Min(first + StepsPerColumn, Steps + 1) - 1;
            step[c] = (first + (double)last) / 2;
            bool any = _counts[c] > 0;
            mean[c] = any ? _normSum[c] / _counts[c] : double.NaN;
            min[c] = any ? _normMin[c] : double.NaN;
            max[c] = any ? _normMax[c] : double.NaN;
        }

        return (step, mean, min, max);
    }

    private static long CeilDiv(long a, long b) => (a / b) + (a % b == 0 ? 0 : 1);
}
