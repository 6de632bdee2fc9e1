namespace LaxScan.Io;

/// <summary>What a path names on the file system, after following symbolic links.</summary>
internal enum FileKind
{
    /// <summary>Nothing exists there (or a symbolic link points nowhere).</summary>
    Missing,

    /// <summary>A regular file.</summary>
    Regular,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A FIFO (named pipe), or an anonymous pipe reached through <c>/dev/stdout</c> or <c>/proc/self/fd/N</c>.</summary>
    Fifo,

    /// <summary>A character device, such as <c>/dev/null</c> or a terminal.</summary>
    CharacterDevice,

    /// <summary>A block device, such as a disk.</summary>
    BlockDevice,

    /// <summary>A Unix domain socket.</summary>
    Socket,

    /// <summary>Something else the system reports (a kind LaxScan does not know).</summary>
    Other,
}

/// <summary>What kind of file a path names.</summary>
internal static class FileKinds
{
    /// <summary>The kind of <paramref name="path"/>, following symbolic links (<c>stat</c>); <see cref="FileKind.Missing"/> when nothing is there.</summary>
    /// <param name="path">Any path.</param>
    /// <returns>The kind.</returns>
    public static FileKind Of(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return FileStatus.Of(Path.GetFullPath(path), followLinks: true).Kind;
    }

    /// <summary>The kind in words, as messages say it: <c>a character device</c>, <c>a FIFO</c>.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The words, with their article.</returns>
    public static string Describe(this FileKind kind) => kind switch
    {
        FileKind.Missing => "nothing",
        FileKind.Regular => "a regular file",
        FileKind.Directory => "a directory",
        FileKind.Fifo => "a FIFO",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Socket => "a socket",
        _ => "a special file",
    };
}
