using Microsoft.Win32.SafeHandles;

namespace LaxScan.Tests.Reliability;

/// <summary>
/// Reads what a writer sends through a FIFO. The FIFO is opened read-write, which on Linux neither blocks nor waits
/// for a writer, and the read runs on its own task from the start, so a writer larger than the pipe's buffer does
/// not stall. A test whose writer never writes (it replaced the FIFO instead) does not hang: disposing feeds the
/// read what it waits for.
/// </summary>
internal sealed class FifoReader : IDisposable
{
    private readonly SafeFileHandle _handle;
    private readonly FileStream _input;
    private readonly byte[] _buffer;
    private readonly Task<int> _read;

    /// <summary>Starts reading <paramref name="count"/> bytes from the FIFO at <paramref name="path"/>.</summary>
    public FifoReader(string path, int count)
    {
        _handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        _input = new FileStream(_handle, FileAccess.Read, bufferSize: 0);
        _buffer = new byte[count];
        _read = Task.Factory.StartNew(ReadAll, TaskCreationOptions.LongRunning);
    }

    /// <summary>The bytes, once they all arrived; fails the test when they do not arrive within a minute.</summary>
    public byte[] Bytes()
    {
        Assert.True(_read.Wait(TimeSpan.FromMinutes(1)), $"only part of the {_buffer.Length} bytes came through the FIFO within a minute");
        return _buffer;
    }

    public void Dispose()
    {
        if (!_read.IsCompleted)
        {
            // Unblock the reader with the bytes it still waits for (they are ours, not the writer's), through a second
            // stream that does not own the handle, so the reader's handle stays open until it has read them.
            using (var output = new FileStream(new SafeFileHandle(_handle.DangerousGetHandle(), ownsHandle: false), FileAccess.Write, bufferSize: 0))
            {
                output.Write(new byte[_buffer.Length]);
            }

            _read.Wait(TimeSpan.FromMinutes(1));
        }

        _input.Dispose();
        _handle.Dispose();
    }

    private int ReadAll()
    {
        int total = 0;
        while (total < _buffer.Length)
        {
            int n = _input.Read(_buffer.AsSpan(total));
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }
}
