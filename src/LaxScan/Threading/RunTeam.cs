namespace LaxScan.Threading;

/// <summary>
/// The one thread team of a run that has several GEMV operators (a recurrent cell's input and recurrent dots, both
/// RNNs of a Bidirectional): started when the first operator wants more than one thread, with as many threads as any
/// operator of the run may use, and shared by all of them, so a run never starts more than one team nor more workers
/// than the processor count, however many Dense dots its cells have.
/// </summary>
internal sealed class RunTeam : IDisposable
{
    private readonly int _threads;
    private StepTeam? _team;

    /// <summary>A team for operators made with these thread settings (0: automatic, n: at most n).</summary>
    /// <param name="threads">Each operator family's setting, as its owner was given it.</param>
    public RunTeam(params ReadOnlySpan<int> threads)
    {
        foreach (int t in threads)
        {
            _threads = Math.Max(_threads, t == 0 ? Environment.ProcessorCount : Math.Min(t, Environment.ProcessorCount));
        }
    }

    /// <summary>The team for an operator that wants <paramref name="wanted"/> threads (its <c>PickThreads</c>), or null for one.</summary>
    public StepTeam? For(int wanted)
    {
        // PickThreads never asks for more than the setting or the processor count, so the team covers every operator.
        return wanted <= 1 || _threads < 2 ? null : _team ??= new StepTeam(_threads);
    }

    /// <summary>Whether the team has been started (for tests).</summary>
    internal bool Started => _team is not null;

    /// <summary>Stops the workers, if any started.</summary>
    public void Dispose() => _team?.Dispose();
}
