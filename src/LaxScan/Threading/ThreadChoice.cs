using System.Diagnostics;

namespace LaxScan.Threading;

/// <summary>
/// Automatic threads that follow the machine: a repeated step runs in short groups of calls, alternately on the
/// calling thread alone and on the whole team, three groups each; the faster way (best group) is then used for the
/// next 10 ms (or 16 times as long as the measurement took, for steps of milliseconds), after which it is measured
/// again. On an idle machine two cores win from H = 256; on a shared one,
/// whose other core is busy, one thread can be twice as fast, and the choice moves with the load. Which threads compute
/// a step never changes its bits, so this only moves time.
/// </summary>
internal struct ThreadChoice
{
    // A group lasts about this long, so a timestamp per group costs well under 1% of it.
    private static readonly long GroupTicks = Stopwatch.Frequency / 20_000;      // 50 us

    // How long the chosen way runs at least before the next measurement.
    private static readonly long ExploitTicks = Stopwatch.Frequency / 100;       // 10 ms

    private const int ProbeGroups = 6;

    private int _groupCalls;      // calls per group, sized from the first group
    private int _callsLeft;       // calls left in the current group
    private int _probe;           // groups measured in this probe (even: team, odd: solo), or ProbeGroups when exploiting
    private long _groupStart;
    private long _probeStart;
    private long _exploitEnd;
    private double _bestTeam;
    private double _bestSolo;
    private bool _useTeam;

    /// <summary>Calls run on the team so far, and on the caller alone (for tests and benchmarks).</summary>
    public long TeamCalls { get; private set; }

    /// <summary>Calls run on the calling thread alone.</summary>
    public long SoloCalls { get; private set; }

    /// <summary>Whether the next call runs on the team; call <see cref="Done"/> after it.</summary>
    public bool Next()
    {
        if (_callsLeft == 0)
        {
            StartGroup();
        }

        return _useTeam;
    }

    /// <summary>Counts the call that <see cref="Next"/> placed, closing its group when the group is full.</summary>
    public void Done()
    {
        if (_useTeam)
        {
            TeamCalls++;
        }
        else
        {
            SoloCalls++;
        }

        if (--_callsLeft > 0)
        {
            return;
        }

        long now = Stopwatch.GetTimestamp();
        long elapsed = now - _groupStart;
        if (_groupCalls == 0)
        {
            // The first call sized the groups.
            _groupCalls = (int)Math.Clamp(GroupTicks / Math.Max(1, elapsed), 1, 1 << 16);
            return;
        }

        if (_probe < ProbeGroups)
        {
            double perCall = (double)elapsed / _groupCalls;
            if (_useTeam)
            {
                _bestTeam = Math.Min(_bestTeam, perCall);
            }
            else
            {
                _bestSolo = Math.Min(_bestSolo, perCall);
            }

            if (_probe == 0)
            {
                _probeStart = _groupStart;
            }

            if (++_probe == ProbeGroups)
            {
                // Measuring runs the slower way for half its groups, so the chosen way then runs at least 16 times as
                // long as the measurement took (steps of milliseconds make a measurement longer than 10 ms).
                _useTeam = _bestTeam <= _bestSolo;
                _exploitEnd = now + Math.Max(ExploitTicks, 16 * (now - _probeStart));
            }
        }
        else if (now >= _exploitEnd)
        {
            _probe = 0;
        }
    }

    private void StartGroup()
    {
        if (_groupCalls == 0)
        {
            _callsLeft = 1;
            _useTeam = true;
        }
        else
        {
            _callsLeft = _groupCalls;
            if (_probe == 0)
            {
                _bestTeam = _bestSolo = double.MaxValue;
            }

            if (_probe < ProbeGroups)
            {
                _useTeam = _probe % 2 == 0;
            }
        }

        _groupStart = Stopwatch.GetTimestamp();
    }
}
