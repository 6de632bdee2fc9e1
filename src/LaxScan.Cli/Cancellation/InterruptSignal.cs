using System.Runtime.InteropServices;

namespace LaxScan.Cli.Cancellation;

/// <summary>
/// Turns SIGINT (Ctrl-C) and SIGTERM into a cancellation while a command runs, so the command stops, deletes its
/// temporary files and exits with <see cref="ExitCodes.Interrupted"/> instead of dying half-way through a write.
/// <see cref="LaxScanCli"/> listens around every command, so each command only has to pass <see cref="Token"/> on.
/// </summary>
/// <remarks>
/// Registered only for the duration of one command line, so an in-process host (the tests) keeps its own handling
/// otherwise. A second signal is not intercepted: someone pressing Ctrl-C twice wants the process gone now.
/// </remarks>
internal sealed class InterruptSignal : IDisposable
{
    /// <summary>The one error line's text after <c>error: </c>.</summary>
    public const string Message = "interrupted";

    private readonly CancellationTokenSource _source = new();
    private readonly PosixSignalRegistration[] _registrations;

    private InterruptSignal(bool listen)
    {
        _registrations = listen
            ? [PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal)]
            : [];
    }

    /// <summary>Cancelled when the first SIGINT or SIGTERM arrives.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>Whether a signal arrived.</summary>
    public bool Raised => _source.IsCancellationRequested;

    /// <summary>Starts listening for SIGINT and SIGTERM.</summary>
    public static InterruptSignal Listen() => new(listen: true);

    /// <summary>An interrupt that only <see cref="Raise"/> triggers: for tests that interrupt a command at a chosen point.</summary>
    public static InterruptSignal Manual() => new(listen: false);

    /// <summary>Acts as if SIGINT had arrived.</summary>
    public void Raise() => _source.Cancel();

    /// <summary>Stops listening: signals after this take their default action again.</summary>
    public void Dispose()
    {
        foreach (PosixSignalRegistration registration in _registrations)
        {
            registration.Dispose();
        }

        _source.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        if (_source.IsCancellationRequested)
        {
            return;
        }

        // Keep the process alive so the command unwinds through its finally blocks and removes its temporary files.
        context.Cancel = true;
        try
        {
            _source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The command ended while the signal was being delivered; there is nothing left to stop.
        }
    }
}
