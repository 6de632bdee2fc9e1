using System.Runtime.InteropServices;

namespace LaxScan.Cli.Output;

/// <summary>
/// The process's standard output (descriptor 1) as a stream whose failures are errors that say so: a reader that
/// closed the pipe (<c>laxscan ... | head -c 100</c>), a closed descriptor (<c>&gt;&amp;-</c>), a full device
/// (<c>&gt; /dev/full</c>). Each throws an <see cref="IOException"/> naming standard output, so the command stops at
/// once with exit 1 and one <c>error:</c> line.
/// </summary>
/// <remarks>
/// <para>
/// .NET's own console stream (<see cref="Console.OpenStandardOutput()"/>) drops every write after <c>EPIPE</c> without
/// a word, so a run whose reader is gone computed on to the end and exited 0 (the runtime ignores SIGPIPE, so the
/// signal that ends other tools never comes). LaxScan chooses the error: exit 1 and
/// <c>error: cannot write to standard output: its reader closed the pipe (broken pipe)</c>, not a silent exit 141.
/// </para>
/// <para>
/// Writes go straight to <c>write(2)</c> on descriptor 1, as the console stream's do, never through a
/// <see cref="FileStream"/> on it: for a regular file a FileStream would write at its own offset (<c>pwrite</c>) and
/// leave the shared file offset behind, so a later writer to the same file (<c>{ laxscan ...; echo; } &gt; f</c>)
/// would overwrite the JSON. On Windows the console stream is used as it is.
/// </para>
/// </remarks>
internal sealed partial class StandardOutputStream : Stream
{
    private const int EIntr = 4;
    private const int EBadF = 9;
    private const int ENoSpc = 28;
    private const int EPipe = 32;

    private StandardOutputStream()
    {
    }

    /// <summary>Standard output as a stream whose write errors name it.</summary>
    public static Stream Open() => OperatingSystem.IsWindows() ? Console.OpenStandardOutput() : new StandardOutputStream();

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>The message for a failed write to standard output with <paramref name="errno"/>.</summary>
    internal static string Describe(int errno) => "cannot write to standard output: " + errno switch
    {
        EPipe => "its reader closed the pipe (broken pipe)",
        EBadF => "it is closed",
        ENoSpc => "no space left on device",
        _ => Marshal.GetPInvokeErrorMessage(errno),
    };

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override unsafe void Write(ReadOnlySpan<byte> buffer)
    {
        fixed (byte* start = buffer)
        {
            int done = 0;
            while (done < buffer.Length)
            {
                nint n = WriteNative(1, start + done, buffer.Length - done);
                if (n >= 0)
                {
                    done += (int)n;
                    continue;
                }

                int errno = Marshal.GetLastPInvokeError();
                if (errno == EIntr)
                {
                    continue;
                }

                if (errno == (OperatingSystem.IsMacOS() ? 35 : 11))
                {
                    // EAGAIN: a parent left the descriptor non-blocking and the pipe is full; wait for the reader.
                    Thread.Sleep(1);
                    continue;
                }

                throw new IOException(Describe(errno), errno);
            }
        }
    }

    public override void Flush()
    {
        // Nothing is buffered here: every Write has reached the descriptor.
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static unsafe partial nint WriteNative(int fd, byte* buffer, nint count);
}
