using LaxScan.Io;
using LaxScan.Linen;
using LaxScan.Tests.Reliability;
using static LaxScan.Tests.Io.NpyTestFiles;

namespace LaxScan.Tests.Io;

/// <summary>
/// The asynchronous .npy and checkpoint readers and writers: the same bytes and the same errors as the synchronous
/// ones (which the NumPy- and Flax-made fixtures check), and cancellation that stops them between chunks.
/// </summary>
public class AsyncIoTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("laxscan-async-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        Directory.Delete(_dir, recursive: true);
        GC.SuppressFinalize(this);
    }

    [Theory]
    [MemberData(nameof(NpyReaderTests.Float32Fixtures), MemberType = typeof(NpyReaderTests))]
    public async Task ReadAsync_gives_numpys_values_from_a_file_and_from_a_trickling_pipe(string name, int[] dims)
    {
        float[] expected = name switch
        {
            "f4_scalar.npy" => [-2.5f],
            "f4_1x0x5.npy" or "f4_0.npy" => [],
            _ => Arange((int)new Shape(dims).Size),
        };

        NDArray<float> fromFile = await NpyReader.ReadAsync<float>(FixturePath(name), Ct);
        Assert.Equal(new Shape(dims), fromFile.Shape);
        Assert.Equal(Bits(expected), Bits(fromFile.Data));

        // Short reads of 1..7 bytes land at every offset of the pooled chunk, so a copy slip shows.
        var fromPipe = Assert.IsType<NDArray<float>>(await NpyReader.ReadAsync(new TrickleStream(Fixture(name)), name, Ct));
        Assert.Equal(new Shape(dims), fromPipe.Shape);
        Assert.Equal(Bits(expected), Bits(fromPipe.Data));
    }

    [Fact]
    public async Task ReadAsync_keeps_every_bit_and_each_dtype()
    {
        uint[] special = [0x00000000, 0x80000000, 0x00000001, 0x807FFFFF, 0x7FC00000, 0x7FA00001, 0x7F800000, 0xFF800000, 0x7F7FFFFF, 0x3F800000, 0xBCE7DF15, 0x3FCFB2BD];
        Assert.Equal(special, Bits((await NpyReader.ReadAsync<float>(FixturePath("f4_special.npy"), Ct)).Data));
        INDArray u4 = await NpyReader.ReadAsync(FixturePath("u4_2x2.npy"), Ct);
        Assert.Equal([0u, 1u, 0xDEADBEEFu, 0xFFFFFFFFu], Assert.IsType<NDArray<uint>>(u4).Data);
        Assert.Equal([0, 1, 127, 128, 255], (await NpyReader.ReadAsync<byte>(FixturePath("u1_5.npy"), Ct)).Data);
        Assert.Equal([0, 0x1234, 0xFFFF], Assert.IsType<NDArray<ushort>>(await NpyReader.ReadAsync(FixturePath("u2_3.npy"), Ct)).Data);
        NDArray<ulong> u8 = await NpyReader.ReadAsync<ulong>(new MemoryStream(Fixture("u8_2.npy")), null, Ct);
        Assert.Equal([0x0123456789ABCDEFul, 0xFFFFFFFFFFFFFFFFul], u8.Data);
    }

    [Fact]
    public async Task WriteAsync_writes_the_bytes_np_save_wrote()
    {
        foreach (string name in (string[])["f4_scalar.npy", "f4_0.npy", "f4_2x3x4.npy", "f4_1000x3.npy", "f4_special.npy", "u1_5.npy", "u8_2.npy"])
        {
            INDArray array = NpyReader.Read(FixturePath(name));
            string path = Path.Combine(_dir, name);
            await NpyWriter.WriteAsync(path, array, Ct);
            Assert.Equal(Fixture(name), File.ReadAllBytes(path));

            var stream = new MemoryStream();
            await NpyWriter.WriteAsync(stream, (NDArray<float>)NpyReader.Read(FixturePath("f4_2x3.npy")), Ct);
            Assert.Equal(Fixture("f4_2x3.npy"), stream.ToArray());
        }
    }

    [Fact]
    public async Task An_array_of_several_chunks_round_trips_through_the_async_writer_and_reader()
    {
        // 3 MiB and a bit: three full 1 MiB chunks and a partial one; each element's bits encode its index.
        var array = new NDArray<float>(new Shape(3, (1 << 18) + 5), [.. Enumerable.Range(0, 3 * ((1 << 18) + 5)).Select(i => BitConverter.UInt32BitsToSingle(0x3F800000u ^ (uint)i))]);
        string path = Path.Combine(_dir, "big.npy");
        await NpyWriter.WriteAsync(path, array, Ct);
        string syncPath = Path.Combine(_dir, "big-sync.npy");
        NpyWriter.Write(syncPath, array, Ct);
        Assert.Equal(File.ReadAllBytes(syncPath), File.ReadAllBytes(path));

        NDArray<float> back = await NpyReader.ReadAsync<float>(path, Ct);
        Assert.Equal(array.Shape, back.Shape);
        Assert.Equal(Bits(array.Data), Bits(back.Data));

        NDArray<float> piped = await NpyReader.ReadAsync<float>(new TrickleStream(File.ReadAllBytes(path), maxRead: 70_001), "pipe", Ct);
        Assert.Equal(Bits(array.Data), Bits(piped.Data));
    }

    public static TheoryData<string> BadNpyRows => [.. BadNpyFiles.Bytes.Keys];

    [Theory]
    [MemberData(nameof(BadNpyRows))]
    public async Task A_bad_file_fails_async_with_the_same_error_as_sync(string row)
    {
        byte[] bytes = BadNpyFiles.Bytes[row]();
        var seekable = Assert.Throws<NpyFormatException>(() => NpyReader.Read<float>(new MemoryStream(bytes), "x.npy"));
        var seekableAsync = await Assert.ThrowsAsync<NpyFormatException>(() => NpyReader.ReadAsync<float>(new MemoryStream(bytes), "x.npy", Ct));
        Assert.Equal((seekable.Kind, seekable.Message), (seekableAsync.Kind, seekableAsync.Message));

        // A pipe has no length to check first, so some messages differ from a file's; sync and async still agree.
        var pipe = Assert.Throws<NpyFormatException>(() => NpyReader.Read<float>(new TrickleStream(bytes), "x.npy"));
        var pipeAsync = await Assert.ThrowsAsync<NpyFormatException>(() => NpyReader.ReadAsync<float>(new TrickleStream(bytes), "x.npy", Ct));
        Assert.Equal((pipe.Kind, pipe.Message), (pipeAsync.Kind, pipeAsync.Message));
    }

    [Fact]
    public async Task An_already_cancelled_token_reads_and_writes_nothing()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        string old = Path.Combine(_dir, "old.npy");
        File.WriteAllBytes(old, Fixture("f4_3.npy"));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => NpyReader.ReadAsync<float>(old, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => NpyReader.ReadAsync(new MemoryStream(Fixture("f4_3.npy")), null, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => NpyWriter.WriteAsync(old, new NDArray<float>(new Shape(5)), cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => FlaxSerialization.ReadFileAsync(old, cancelled.Token));
        string checkpoint = Path.Combine(_dir, "old.msgpack");
        File.WriteAllBytes(checkpoint, [0x80]);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => FlaxSerialization.WriteFileAsync(checkpoint, Checkpoint(10), cancelled.Token));

        Assert.Equal(Fixture("f4_3.npy"), File.ReadAllBytes(old));
        Assert.Equal([0x80], File.ReadAllBytes(checkpoint));
        Assert.Equal(["old.msgpack", "old.npy"], Directory.GetFiles(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Cancelling_during_a_read_stops_it_between_chunks()
    {
        // The stream ignores the token, as a stream may: the reader's own checks between chunks must stop it.
        var array = new NDArray<float>(new Shape(1 << 20));
        var file = new MemoryStream();
        NpyWriter.Write(file, array, Ct);

        using var cts = new CancellationTokenSource();
        var seekable = new CancelAfterStream(file.ToArray(), cts, afterBytes: 2 << 20, seekable: true);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => NpyReader.ReadAsync<float>(seekable, null, cts.Token));
        Assert.True(seekable.BytesRead < file.Length, $"read all {seekable.BytesRead} bytes despite the cancellation");

        using var cts2 = new CancellationTokenSource();
        var pipe = new CancelAfterStream(file.ToArray(), cts2, afterBytes: 2 << 20, seekable: false);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => NpyReader.ReadAsync(pipe, null, cts2.Token));
        Assert.True(pipe.BytesRead < file.Length, $"read all {pipe.BytesRead} bytes despite the cancellation");

        using var cts3 = new CancellationTokenSource();
        byte[] checkpoint = FlaxSerialization.ToBytes(Checkpoint(1 << 20));
        var checkpointPipe = new CancelAfterStream(checkpoint, cts3, afterBytes: 1 << 20, seekable: false);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => FlaxSerialization.ReadAsync(checkpointPipe, null, cts3.Token));
        Assert.True(checkpointPipe.BytesRead < checkpoint.Length);
    }

    [Fact]
    public async Task Cancelling_during_a_write_stops_it_between_chunks()
    {
        var array = new NDArray<float>(new Shape(1 << 20));
        using var cts = new CancellationTokenSource();
        var sink = new CancelAfterStream([], cts, afterBytes: 1 << 20, seekable: false);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => NpyWriter.WriteAsync(sink, array, cts.Token));
        Assert.InRange(sink.BytesWritten, 1, (2 << 20) + 128);

        using var cts2 = new CancellationTokenSource();
        var checkpointSink = new CancelAfterStream([], cts2, afterBytes: 1 << 20, seekable: false);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => FlaxSerialization.WriteAsync(checkpointSink, Checkpoint(1 << 20), cts2.Token));
        Assert.InRange(checkpointSink.BytesWritten, 1, 2 << 20);
    }

    [Fact]
    public async Task Checkpoints_round_trip_async_with_flaxs_bytes()
    {
        // dense_nested.msgpack follows Flax's to_bytes layout (ScriptMadeCheckpoints): read and written again, it must keep its bytes.
        byte[] flax = FlaxMsgpackTestData.Fixture("dense_nested");
        Variables variables = await FlaxSerialization.ReadAsync(new TrickleStream(flax), "dense_nested", Ct);
        Assert.Equal(flax, FlaxSerialization.ToBytes(variables));

        string path = Path.Combine(_dir, "variables.msgpack");
        await FlaxSerialization.WriteFileAsync(path, variables, Ct);
        Assert.Equal(flax, File.ReadAllBytes(path));
        Assert.Equal(flax, FlaxSerialization.ToBytes(await FlaxSerialization.ReadFileAsync(path, Ct)));

        var stream = new MemoryStream();
        await FlaxSerialization.WriteAsync(stream, variables, Ct);
        Assert.Equal(flax, stream.ToArray());
        stream.Position = 0;
        Assert.Equal(flax, FlaxSerialization.ToBytes(FlaxSerialization.Read(stream)));

        var syncStream = new MemoryStream();
        FlaxSerialization.Write(syncStream, variables, Ct);
        Assert.Equal(flax, syncStream.ToArray());
    }

    [Fact]
    public async Task A_bad_checkpoint_fails_async_with_the_checkpoint_error()
    {
        string path = Path.Combine(_dir, "bad.msgpack");
        File.WriteAllBytes(path, [0x81, 0xA1]);
        var sync = Assert.Throws<FlaxCheckpointException>(() => FlaxSerialization.ReadFile(path));
        var async = await Assert.ThrowsAsync<FlaxCheckpointException>(() => FlaxSerialization.ReadFileAsync(path, Ct));
        Assert.Equal(sync.Message, async.Message);
        await Assert.ThrowsAsync<FileNotFoundException>(() => FlaxSerialization.ReadFileAsync(Path.Combine(_dir, "absent.msgpack"), Ct));
        await Assert.ThrowsAsync<FileNotFoundException>(() => NpyReader.ReadAsync(Path.Combine(_dir, "absent.npy"), Ct));
    }

    [Fact]
    public void Usage_errors_are_thrown_at_the_call_not_in_the_task()
    {
        // Not in the task: a caller that never awaits it still sees the mistake.
        Assert.Throws<ArgumentException>(() => { _ = NpyReader.ReadAsync<float>("", Ct); });
        Assert.Throws<ArgumentNullException>(() => { _ = NpyReader.ReadAsync((Stream)null!, null, Ct); });
        Assert.Throws<ArgumentNullException>(() => { _ = NpyWriter.WriteAsync(Path.Combine(_dir, "a.npy"), (NDArray<float>)null!, Ct); });
        Assert.Throws<ArgumentException>(() => { _ = NpyWriter.WriteAsync(Path.Combine(_dir, "a.npy"), new NotAnArray(), Ct); });
        Assert.Throws<ArgumentNullException>(() => { _ = FlaxSerialization.WriteAsync(null!, Checkpoint(1), Ct); });
        Assert.Throws<ArgumentException>(() => { _ = FlaxSerialization.ReadFileAsync("", Ct); });
        Assert.Empty(Directory.GetFiles(_dir));
    }

    private static Variables Checkpoint(int count) =>
        Variables.Empty.With("params", Variables.Empty.With("W", new NDArray<float>(new Shape(count))));

    private static uint[] Bits(float[] values) => [.. values.Select(BitConverter.SingleToUInt32Bits)];

    private sealed class NotAnArray : INDArray
    {
        public DType DType => DType.Float32;

        public Shape Shape => new(1);
    }

    /// <summary>A stream that ignores tokens and cancels its source once it has passed <c>afterBytes</c>, counting what it moved.</summary>
    private sealed class CancelAfterStream(byte[] data, CancellationTokenSource cts, long afterBytes, bool seekable) : Stream
    {
        private int _position;

        public long BytesRead { get; private set; }

        public long BytesWritten { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => seekable;

        public override bool CanWrite => true;

        public override long Length => seekable ? data.Length : throw new NotSupportedException();

        public override long Position { get => seekable ? _position : throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int n = Math.Min(buffer.Length, data.Length - _position);
            data.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            BytesRead += n;
            if (BytesRead >= afterBytes)
            {
                cts.Cancel();
            }

            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            BytesWritten += buffer.Length;
            if (BytesWritten >= afterBytes)
            {
                cts.Cancel();
            }
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
