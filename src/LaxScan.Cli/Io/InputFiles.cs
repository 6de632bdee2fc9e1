using LaxScan.Io;

namespace LaxScan.Cli.Io;

/// <summary>
/// Reads a file an option names (<c>--x-file</c>, <c>--params</c>), with every failure naming the option and the
/// path as given, and in the user's terms: <c>--params 'DIR': is a directory, not a Flax checkpoint</c> rather than
/// .NET's "Access to the path is denied".
/// </summary>
internal static class InputFiles
{
    /// <summary>Reads <paramref name="path"/> with <paramref name="read"/>, after refusing what cannot be such a file.</summary>
    /// <param name="option">The option, such as <c>--params</c>.</param>
    /// <param name="path">The path as given.</param>
    /// <param name="what">What the file should be, with its article: <c>a .npy file</c>.</param>
    /// <param name="read">The reader; its .npy format errors (which name the file) pass through, and a checkpoint's (which do not) get the option and path in front.</param>
    public static T Read<T>(string option, string path, string what, Func<string, T> read)
    {
        // Checked first: opening a directory reports "Access to the path is denied", which sends the user to the
        // permissions, and a device reads as an empty (/dev/zero) or endless file. A FIFO (a pipe, /dev/stdin) is read.
        FileKind kind = FileKinds.Of(path);
        if (kind is FileKind.Directory or FileKind.CharacterDevice or FileKind.BlockDevice or FileKind.Socket or FileKind.Other)
        {
            throw new IOException($"{option} '{path}': is {kind.Describe()}, not {what}");
        }

        try
        {
            return read(path);
        }
        catch (FileNotFoundException)
        {
            throw new IOException($"{option} '{path}': no such file");
        }
        catch (DirectoryNotFoundException)
        {
            throw new IOException($"{option} '{path}': no such file (its directory does not exist)");
        }
        catch (UnauthorizedAccessException)
        {
            throw new IOException($"{option} '{path}': permission denied");
        }
        catch (FlaxCheckpointException e) when (!e.Message.Contains(path, StringComparison.Ordinal))
        {
            // The reader's message says what is wrong with the bytes ("not a loadable Flax checkpoint (at byte 0)");
            // which file, and given to which option, is the command line's to say.
            throw new FlaxCheckpointException($"{option} '{path}': {e.Message}", e.Offset, e.Path, e);
        }
    }
}
