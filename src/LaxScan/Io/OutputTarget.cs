using System.Text;

namespace LaxScan.Io;

/// <summary>
/// Where a write to a path lands, decided before anything is written: the file a chain of symbolic links ends at,
/// what kind of file that is, and whether a new file can be created beside it. <see cref="OutputFile"/> writes by
/// these rules, and the <c>laxscan</c> tool checks every output with them before it starts any work.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>A regular file, or nothing: written to a temporary file beside it, then renamed over it (atomic).</item>
/// <item>A symbolic link: followed to the end; the file it ends at is replaced atomically (or created, for a link that
/// points nowhere yet), and the link itself is kept.</item>
/// <item>A FIFO, a character device or a block device: written in place, never replaced, renamed over or deleted
/// (<see cref="IsWrittenInPlace"/>). What is written reaches it as it is written.</item>
/// <item>A directory or a socket: refused (<see cref="Problem"/>).</item>
/// </list>
/// </remarks>
internal sealed class OutputTarget
{
    // NAME_MAX on Linux and macOS (bytes), and the most Windows allows (UTF-16 units, which a UTF-8 count bounds).
    private const int MaxNameBytes = 255;
    private const int MaxLinkHops = 40;

    private readonly FileStatus _status;
    private readonly FileStatus _directoryStatus;

    private OutputTarget(string path, string finalPath, FileStatus status, FileStatus directoryStatus)
    {
        Path = path;
        FinalPath = finalPath;
        _status = status;
        _directoryStatus = directoryStatus;
    }

    /// <summary>The path as given.</summary>
    public string Path { get; }

    /// <summary>
    /// The full path the symbolic links at <see cref="Path"/> end at (<see cref="Path"/>'s full form when it is no
    /// link): the file that is replaced, and the directory the temporary file goes to.
    /// </summary>
    public string FinalPath { get; }

    /// <summary>The directory holding <see cref="FinalPath"/>.</summary>
    public string Directory => System.IO.Path.GetDirectoryName(FinalPath) ?? FinalPath;

    /// <summary>What is at <see cref="FinalPath"/> now.</summary>
    public FileKind Kind => _status.Kind;

    /// <summary>Whether the target is written in place (a FIFO or a device) rather than replaced by a renamed temporary file.</summary>
    public bool IsWrittenInPlace => Kind is FileKind.Fifo or FileKind.CharacterDevice or FileKind.BlockDevice;

    /// <summary>Whether the target is the file this process's standard output (descriptor 1) is open on.</summary>
    public bool IsStandardOutput => FileStatus.OfDescriptor(1) is { } stdout && _status.IsSameFileAs(stdout);

    /// <summary>
    /// Why the target cannot be written at all, found without writing anything: <c>it is a directory</c>, <c>it is
    /// a socket; ...</c>, <c>the directory X does not exist</c>; null when nothing stands in the way so far.
    /// </summary>
    public string? Problem => Kind switch
    {
        FileKind.Directory => "it is a directory",
        FileKind.Socket => "it is a socket, which cannot be opened as a file; write to a file, a FIFO or a device instead",
        FileKind.Other => "it is neither a file, a FIFO nor a device",
        FileKind.Missing when _directoryStatus.Kind == FileKind.Missing => $"the directory {Directory} does not exist",
        FileKind.Missing when _directoryStatus.Kind != FileKind.Directory => $"{Directory} is not a directory",
        _ => null,
    };

    /// <summary>Follows <paramref name="path"/>'s symbolic links and looks at what they end at; writes nothing.</summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="IOException">The links loop or nest more than 40 deep.</exception>
    public static OutputTarget Resolve(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = System.IO.Path.GetFullPath(path);
        FileStatus status = FileStatus.Of(full, followLinks: true);

        // Only a regular file or nothing is replaced, and only then does the link's end matter. In-place targets are
        // opened through the path as given: /dev/stdout ends at /proc/self/fd/1 and then at "pipe:[N]", no real path.
        string final = status.Kind is FileKind.Regular or FileKind.Missing ? FollowLinks(full, path) : full;
        string directory = System.IO.Path.GetDirectoryName(final) ?? final;
        return new OutputTarget(path, final, status, FileStatus.Of(directory, followLinks: true));
    }

    /// <summary>Whether <paramref name="other"/> lands on the same file: the same device and inode, or the same final path for a file not yet there.</summary>
    public bool IsSameFileAs(OutputTarget other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (_status.IsSameFileAs(other._status))
        {
            return true;
        }

        // Either exists with a known inode: then only the inode decides, and it did not match.
        if (HasIdentity || other.HasIdentity)
        {
            return false;
        }

        // Neither is there yet (or this system gives no inodes): the same name in the same directory.
        return string.Equals(System.IO.Path.GetFileName(FinalPath), System.IO.Path.GetFileName(other.FinalPath), NameComparison)
            && (_directoryStatus.IsSameFileAs(other._directoryStatus) || string.Equals(Directory, other.Directory, NameComparison));
    }

    /// <summary>
    /// Checks that a file can be created beside the target, as the atomic write will: creates an empty temporary
    /// file there and deletes it. Returns null when it can (or when the target is written in place, which needs no
    /// new file), else the reason: <c>no permission to create files in DIR</c>, the system's message (a read-only
    /// file system, a full disk), or <see cref="Problem"/>.
    /// </summary>
    public string? ProbeWritable()
    {
        if (Problem is { } problem)
        {
            return problem;
        }

        if (IsWrittenInPlace)
        {
            return null;
        }

        string probe = TemporaryPath();
        try
        {
            new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None).Dispose();
            File.Delete(probe);
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return $"no permission to create files in {Directory}";
        }
        catch (IOException e)
        {
            return $"cannot create a file in {Directory}: {WithoutPath(e.Message)}";
        }
    }

    /// <summary>A fresh hidden name beside <see cref="FinalPath"/>: <c>.NAME.GUID.tmp</c>, NAME shortened to fit a file name's 255 bytes.</summary>
    internal string TemporaryPath()
    {
        const int Decoration = 1 + 1 + 32 + 4;
        string name = System.IO.Path.GetFileName(FinalPath);
        while (Encoding.UTF8.GetByteCount(name) > MaxNameBytes - Decoration)
        {
            name = name[..(char.IsLowSurrogate(name[^1]) ? ^2 : ^1)];
        }

        // Hidden and unique, so concurrent writers never share a temporary file and a crash leaves an obvious leftover.
        return System.IO.Path.Combine(Directory, $".{name}.{Guid.NewGuid():N}.tmp");
    }

    private bool HasIdentity => Kind != FileKind.Missing && (_status.Device, _status.Inode) != (0, 0);

    private static StringComparison NameComparison =>
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    // .NET's I/O messages end in " : 'PATH'", here the probe's own name, which would only confuse.
    private static string WithoutPath(string message)
    {
        int at = message.LastIndexOf(" : '", StringComparison.Ordinal);
        return at > 0 ? message[..at] : message;
    }

    private static string FollowLinks(string full, string given)
    {
        string current = full;
        for (int hop = 0; hop < MaxLinkHops; hop++)
        {
            string? target = new FileInfo(current).LinkTarget;
            if (target is null)
            {
                return current;
            }

            string directory = System.IO.Path.GetDirectoryName(current) ?? current;
            current = System.IO.Path.GetFullPath(System.IO.Path.Combine(directory, target));
        }

        throw new IOException($"cannot write {given}: its symbolic links loop or nest more than {MaxLinkHops} deep");
    }
}
