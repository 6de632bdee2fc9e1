using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace LaxScan.Io;

/// <summary>
/// Opens a FIFO for writing without blocking the thread until a reader appears, so a cancellation (Ctrl-C) can stop
/// the wait. A plain <c>open(O_WRONLY)</c> of a FIFO sleeps in the kernel until some process opens it for reading;
/// nothing in .NET can interrupt that, so a command writing to a FIFO nobody reads would ignore Ctrl-C forever.
/// </summary>
/// <remarks>
/// POSIX: <c>open(O_WRONLY | O_NONBLOCK)</c> of a FIFO without a reader fails at once with <c>ENXIO</c>; with a reader
/// it succeeds. So the open is retried, with a pause that grows from 1 ms to 50 ms and ends early on cancellation,
/// until it succeeds; then <c>O_NONBLOCK</c> is cleared (<c>SystemNative_FcntlSetIsNonBlocking</c>, the runtime's own
/// shim, as <see cref="FileStatus"/> uses it) so the writes block as a shell's <c>&gt;</c> would. On other systems than
/// Linux and macOS (whose <c>O_NONBLOCK</c> and <c>O_CLOEXEC</c> values this knows) the open is the plain one.
/// </remarks>
internal static partial class FifoOpen
{
    private const int OWronly = 1;
    private const int EIntr = 4;
    private const int ENxio = 6;

    /// <summary>Opens the FIFO at <paramref name="path"/> for writing once a reader has it open, or throws when <paramref name="cancellationToken"/> is cancelled first.</summary>
    /// <exception cref="OperationCanceledException">Cancelled while no reader had the FIFO open.</exception>
    /// <exception cref="UnauthorizedAccessException">No permission to open it.</exception>
    /// <exception cref="IOException">The open failed otherwise.</exception>
    public static FileStream OpenForWriting(string path, int bufferSize, CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize);
        }

        int nonBlocking = OperatingSystem.IsLinux() ? 0x800 : 0x4;
        int closeOnExec = OperatingSystem.IsLinux() ? 0x80000 : 0x1000000;
        int pause = 1;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int fd = Open(path, OWronly | nonBlocking | closeOnExec);
            if (fd >= 0)
            {
                var handle = new SafeFileHandle(fd, ownsHandle: true);
                if (SetIsNonBlocking(fd, 0) != 0)
                {
                    int error = Marshal.GetLastPInvokeError();
                    handle.Dispose();
                    throw new IOException($"cannot write {path}: {Marshal.GetPInvokeErrorMessage(error)}");
                }

                try
                {
                    return new FileStream(handle, FileAccess.Write, bufferSize);
                }
                catch
                {
                    handle.Dispose();
                    throw;
                }
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno == EIntr)
            {
                continue;
            }

            if (errno != ENxio)
            {
                string reason = Marshal.GetPInvokeErrorMessage(errno);
                throw errno is 1 or 13 ? new UnauthorizedAccessException($"cannot write {path}: {reason}") : new IOException($"cannot write {path}: {reason}");
            }

            // No reader yet: wait, but wake at once on cancellation.
            cancellationToken.WaitHandle.WaitOne(pause);
            pause = Math.Min(pause * 2, 50);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_FcntlSetIsNonBlocking", SetLastError = true)]
    private static partial int SetIsNonBlocking(nint fd, int isNonBlocking);
}
