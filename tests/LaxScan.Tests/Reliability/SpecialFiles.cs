using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace LaxScan.Tests.Reliability;

/// <summary>
/// FIFOs, device nodes, sockets and symlinks made inside a test's own temporary directory (never under /dev), and
/// what kind of file a path is, asked of coreutils' <c>stat</c> so the check does not rest on the code under test.
/// </summary>
internal static partial class SpecialFiles
{
    /// <summary>Makes a FIFO (named pipe) at <paramref name="path"/>; skips the test where POSIX FIFOs do not exist.</summary>
    public static void MakeFifo(string path)
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "FIFOs (mkfifo) are POSIX; Windows has none");
        Assert.True(MkFifo(path, Convert.ToUInt32("666", 8)) == 0, $"mkfifo {path} failed with errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>
    /// Makes a character device node with /dev/null's numbers (1, 3) at <paramref name="path"/>, so a write that
    /// reaches it is discarded by the kernel; skips the test with the reason where making device nodes is not
    /// permitted (an unprivileged user, a container without CAP_MKNOD, a nodev mount) or not possible.
    /// </summary>
    public static void MakeNullDevice(string path)
    {
        Assert.SkipWhen(!OperatingSystem.IsLinux(), "device numbers 1,3 are /dev/null's on Linux only");
        (int exitCode, string output) = Tool("mknod", path, "c", "1", "3");
        Assert.SkipWhen(exitCode != 0, $"cannot make a device node here (mknod exit {exitCode}: {output.Trim()}); it needs root or CAP_MKNOD");
        Assert.Equal("character special file", Kind(path));
    }

    /// <summary>Binds a Unix domain socket at <paramref name="path"/>; dispose it to close (the socket file stays).</summary>
    public static Socket MakeSocket(string path)
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "socket files are a POSIX test here");
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        return socket;
    }

    /// <summary>
    /// Makes <paramref name="directory"/> a place where no file can be created, until disposed: <c>chmod 555</c> for
    /// an ordinary user; for root, who ignores permissions, the immutable attribute (<c>chattr +i</c>), skipping the
    /// test with the reason where the file system or the container does not allow it.
    /// </summary>
    public static IDisposable MakeUnwritable(string directory)
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "directory permissions are a POSIX test here");
        if (!Environment.IsPrivilegedProcess && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            return new Restore(() =>
            {
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }
            });
        }

        (int exitCode, string output) = Tool("chattr", "+i", directory);
        Assert.SkipWhen(exitCode != 0, $"running as root, who may write anywhere, and chattr +i (the one way left to make a directory unwritable) failed: {output.Trim()}");
        return new Restore(() => Tool("chattr", "-i", directory));
    }

    /// <summary>
    /// What <paramref name="path"/> itself is, not following a final symlink, in <c>stat -c %F</c>'s words:
    /// "regular file", "regular empty file", "fifo", "character special file", "symbolic link", "socket", "directory".
    /// </summary>
    public static string Kind(string path)
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "file kinds are checked with coreutils' stat");
        (int exitCode, string output) = Tool("stat", "-c", "%F", path);
        Assert.True(exitCode == 0, $"stat {path}: {output}");
        return output.Trim();
    }

    /// <summary>Runs a system tool and returns its exit code and its merged output; a missing tool skips the test.</summary>
    private static (int ExitCode, string Output) Tool(string name, params string[] args)
    {
        var start = new ProcessStartInfo(name) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Assert.Skip($"the '{name}' tool is not available: {e.Message}");
            throw;
        }

        using (process)
        {
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            Assert.True(process.WaitForExit(TimeSpan.FromMinutes(1)), $"{name} did not finish in a minute");
            return (process.ExitCode, stdout.Result + stderr.Result);
        }
    }

    private sealed class Restore(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }

    [LibraryImport("libc", EntryPoint = "mkfifo", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int MkFifo(string path, uint mode);
}
