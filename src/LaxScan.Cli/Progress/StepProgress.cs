using System.Diagnostics;
using System.Globalization;

namespace LaxScan.Cli.Progress;

/// <summary>When <c>run</c> shows its progress line.</summary>
internal enum ProgressMode
{
    /// <summary>Only when standard error is a terminal, where a redrawn line is readable rather than noise in a log.</summary>
    Auto,

    /// <summary>Always (<c>--progress</c>).</summary>
    On,

    /// <summary>Never (<c>--no-progress</c>).</summary>
    Off,
}

/// <summary>
/// One line on standard error, <c>step 1234567/10000000 (12%), 3.2M steps/s, eta 2s</c>, redrawn in place with
/// <c>\r</c> and erased at the end. Nothing appears for a run shorter than <see cref="Delay"/>.
/// </summary>
/// <remarks>
/// The scan only stores the step number (<see cref="Report"/>); a timer thread reads it and draws. Drawing from the
/// step loop would need a clock read per step, which costs as much as a small step itself.
/// </remarks>
internal sealed class StepProgress : IDisposable
{
    /// <summary>How long a run goes before the line appears.</summary>
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);

    /// <summary>The shortest time between redraws: often enough to look alive, rarely enough to cost nothing.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private readonly TextWriter _error;
    private readonly long _total;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Timer _timer;
    private readonly Lock _gate = new();
    private long _step;
    private int _drawnLength;
    private bool _stopped;

    private StepProgress(TextWriter error, long total)
    {
        _error = error;
        _total = total;
        _timer = new Timer(_ => Draw(), null, Delay, Interval);
    }

    /// <summary>Starts the progress line for a run of <paramref name="total"/> steps, or returns null when <paramref name="mode"/> says not to.</summary>
    public static StepProgress? Start(ProgressMode mode, TextWriter error, long total)
    {
        bool show = mode switch
        {
            ProgressMode.On => true,
            ProgressMode.Off => false,
            _ => !Console.IsErrorRedirected,
        };
        return show && total > 0 ? new StepProgress(error, total) : null;
    }

    /// <summary>Records that <paramref name="step"/> is done; called from the scan for every step.</summary>
    public void Report(long step) => Volatile.Write(ref _step, step);

    /// <summary>The line for <paramref name="step"/> of <paramref name="total"/> after <paramref name="elapsed"/>.</summary>
    public static string Format(long step, long total, TimeSpan elapsed)
    {
        double seconds = Math.Max(elapsed.TotalSeconds, 1e-9);
        double rate = step / seconds;
        string eta = rate > 0 ? Duration((total - step) / rate) : "?";
        long percent = (long)(100.0 * step / total);
        return string.Create(CultureInfo.InvariantCulture, $"step {step}/{total} ({percent}%), {Rate(rate)} steps/s, eta {eta}");
    }

    /// <summary>Stops redrawing and erases the line, so what follows on standard error starts on a clean line.</summary>
    public void Dispose()
    {
        // Waiting for a running callback means no redraw can land after the line is erased.
        using (var done = new ManualResetEvent(false))
        {
            if (_timer.Dispose(done))
            {
                done.WaitOne();
            }
        }

        lock (_gate)
        {
            _stopped = true;
            if (_drawnLength > 0)
            {
                _error.Write('\r');
                _error.Write(new string(' ', _drawnLength));
                _error.Write('\r');
                _error.Flush();
                _drawnLength = 0;
            }
        }
    }

    private void Draw()
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }

            string line = Format(Volatile.Read(ref _step), _total, _clock.Elapsed);
            try
            {
                // Padding over the previous line's tail, since \r only moves the cursor.
                _error.Write('\r');
                _error.Write(line.PadRight(_drawnLength));
                _error.Flush();
                _drawnLength = Math.Max(_drawnLength, line.Length);
            }
            catch (IOException)
            {
                // A closed stderr must not take the run down with it: progress is a courtesy.
                _stopped = true;
            }
            catch (ObjectDisposedException)
            {
                _stopped = true;
            }
            catch (UnauthorizedAccessException)
            {
                // What .NET makes of EBADF: standard error was closed (2>&-).
                _stopped = true;
            }
        }
    }

    private static string Rate(double perSecond) => perSecond switch
    {
        >= 1e9 => string.Create(CultureInfo.InvariantCulture, $"{perSecond / 1e9:0.0}G"),
        >= 1e6 => string.Create(CultureInfo.InvariantCulture, $"{perSecond / 1e6:0.0}M"),
        >= 1e3 => string.Create(CultureInfo.InvariantCulture, $"{perSecond / 1e3:0.0}k"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{perSecond:0}"),
    };

    private static string Duration(double seconds)
    {
        if (double.IsNaN(seconds) || seconds > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            return "?";
        }

        var span = TimeSpan.FromSeconds(Math.Ceiling(seconds));
        return span.TotalHours >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(long)span.TotalHours}h{span.Minutes:00}m")
            : span.TotalMinutes >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{span.Minutes}m{span.Seconds:00}s")
            : string.Create(CultureInfo.InvariantCulture, $"{span.Seconds}s");
    }
}
