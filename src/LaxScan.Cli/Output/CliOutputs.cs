using System.CommandLine;
using System.CommandLine.Parsing;
using LaxScan.Cli.Io;
using LaxScan.Io;

namespace LaxScan.Cli.Output;

/// <summary>
/// The files one command line writes, checked before the command starts any work, so a long run is never lost to a
/// typo or a permission found at its end. <see cref="LaxScanCli"/> runs <see cref="Check"/> for every command; a
/// command only declares its outputs as <see cref="OutputPathOption"/>s.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Two outputs that land on one file (by device and inode, or by final path for files not there yet): a usage
/// error (exit 2), since one would silently overwrite the other. Reading an input from the path an output writes is
/// allowed: inputs are read whole before anything is written.</item>
/// <item>An output whose directory does not exist, or where no file can be created (a probe file is created and
/// deleted), or that is a directory or a socket: exit 1, naming the option and the path as given.</item>
/// <item>An output that is the process's standard output (<c>/dev/stdout</c>, <c>/proc/self/fd/1</c>, or the file
/// stdout is redirected to): its bytes are written to standard output in place of the JSON, which is then not
/// printed, since stdout holds exactly one document.</item>
/// </list>
/// </remarks>
internal sealed class CliOutputs
{
    private readonly List<Entry> _entries;

    private CliOutputs(List<Entry> entries) => _entries = entries;

    /// <summary>No outputs: the state before <see cref="Check"/> ran.</summary>
    public static CliOutputs None { get; } = new([]);

    /// <summary>Whether one of the outputs is standard output, so the JSON is not printed.</summary>
    public bool ReplacesJson => _entries.Any(e => e.IsStandardOutput);

    /// <summary>
    /// Finds the command's output options, refuses two on one file (<see cref="UsageException"/>) and any that cannot
    /// be written (<see cref="IOException"/>), creating nothing that stays.
    /// </summary>
    /// <param name="parsed">The parsed command line.</param>
    /// <param name="files">Resolves the paths (a test double may decline, which skips the file-system checks).</param>
    /// <param name="standardOutputIsAStream">Whether the JSON writer is the process's real standard output, whose bytes an output may take over.</param>
    public static CliOutputs Check(ParseResult parsed, IArrayFiles files, bool standardOutputIsAStream)
    {
        var entries = new List<Entry>();
        foreach (OptionResult result in parsed.CommandResult.Children.OfType<OptionResult>())
        {
            if (result.Option is OutputPathOption option && !result.Implicit && parsed.GetValue(option) is { } path)
            {
                OutputTarget? target;
                try
                {
                    target = files.ResolveOutput(path);
                }
                catch (IOException e)
                {
                    // A symlink loop, a name or path too long for the system: say which option and path, not .NET's
                    // "The path '...' is too long" or the resolver's own wording alone.
                    throw new IOException($"{option.Name} '{path}': {Reason(e, path)}", e);
                }

                entries.Add(new Entry(option.Name, path, target, standardOutputIsAStream && target is { IsStandardOutput: true }));
            }
        }

        for (int i = 0; i < entries.Count; i++)
        {
            for (int j = i + 1; j < entries.Count; j++)
            {
                if (entries[i].IsSameFileAs(entries[j]))
                {
                    throw new UsageException(
                        $"{entries[i].Option} '{entries[i].Path}' and {entries[j].Option} '{entries[j].Path}' are the same file, so one output would overwrite the other; give each output a file of its own");
                }
            }
        }

        foreach (Entry entry in entries)
        {
            if (entry.Target is { } target && !entry.IsStandardOutput && target.ProbeWritable() is { } reason)
            {
                string message = $"{entry.Option} '{entry.Path}': {reason}";
                throw target.Kind == FileKind.Missing && target.Problem is not null ? new DirectoryNotFoundException(message) : new IOException(message);
            }
        }

        return new CliOutputs(entries);
    }

    /// <summary>
    /// The error for a write to the output <paramref name="path"/> that failed with <paramref name="exception"/>: an
    /// <see cref="IOException"/> naming the option and the path as given, with the reason in words (<c>the reader
    /// closed it before everything was written (broken pipe)</c>, <c>no space left on device</c>), never the
    /// temporary file's name or .NET's <c>Broken pipe : 'PATH'</c>.
    /// </summary>
    public IOException WriteFailure(string path, Exception exception)
    {
        string option = Find(path)?.Option ?? "output";
        return new IOException($"{option} '{path}': {Reason(exception, path)}", exception);
    }

    /// <summary>What went wrong, without .NET's " : 'PATH'" (often the temporary file's) or its "The path '...'" wording.</summary>
    internal static string Reason(Exception exception, string path)
    {
        const int ENoSpc = 28;
        const int EPipe = 32;
        string message = exception.Message;
        if (exception is PathTooLongException)
        {
            return "the path, or a name in it, is too long for this system";
        }

        if (exception is UnauthorizedAccessException)
        {
            return "permission denied";
        }

        if (exception.HResult == EPipe || message.StartsWith("Broken pipe", StringComparison.Ordinal))
        {
            return "the reader closed it before everything was written (broken pipe)";
        }

        if (exception.HResult == ENoSpc || message.StartsWith("No space left on device", StringComparison.Ordinal))
        {
            return "no space left on device";
        }

        // The output's own wording already starts "cannot write PATH: ..." (OutputFile, OutputTarget): keep the reason.
        string prefix = $"cannot write {path}: ";
        if (message.StartsWith(prefix, StringComparison.Ordinal))
        {
            return message[prefix.Length..];
        }

        int at = message.LastIndexOf(" : '", StringComparison.Ordinal);
        return at > 0 ? message[..at] : message;
    }

    /// <summary>Whether <paramref name="path"/>, an output of this command line, is standard output.</summary>
    public bool IsStandardOutput(string path) => Find(path)?.IsStandardOutput == true;

    /// <summary>Whether <paramref name="path"/> is written in place (standard output, a FIFO or a device) rather than through a temporary file on a disk.</summary>
    public bool IsWrittenInPlace(string path) => Find(path) is { } e && (e.IsStandardOutput || e.Target?.IsWrittenInPlace == true);

    private Entry? Find(string path) => _entries.FirstOrDefault(e => e.Path == path);

    private sealed record Entry(string Option, string Path, OutputTarget? Target, bool IsStandardOutput)
    {
        public bool IsSameFileAs(Entry other) =>
            Target is not null && other.Target is not null
                ? Target.IsSameFileAs(other.Target)
                : string.Equals(System.IO.Path.GetFullPath(Path), System.IO.Path.GetFullPath(other.Path), StringComparison.Ordinal);
    }
}
