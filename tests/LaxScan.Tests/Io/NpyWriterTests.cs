using CsCheck;
using LaxScan.Io;
using static LaxScan.Tests.Io.NpyTestFiles;

namespace LaxScan.Tests.Io;

/// <summary>The writer's files are byte for byte np.save's, read back exactly, and appear whole or not at all.</summary>
public class NpyWriterTests
{
    public static TheoryData<string> NumpySavedFixtures =>
    [
        "f4_scalar.npy", "f4_0.npy", "f4_3.npy", "f4_2x3.npy", "f4_1x0x5.npy", "f4_special.npy", "f4_2x3x4.npy",
        "f4_1000x3.npy", "u4_2x2.npy", "u1_5.npy", "u2_3.npy", "u8_2.npy",
    ];

    [Theory]
    [MemberData(nameof(NumpySavedFixtures))]
    public void Writes_the_bytes_np_save_writes(string name)
    {
        using var dir = new TempDirectory();
        string path = dir.File(name);
        NpyWriter.Write(path, NpyReader.Read(FixturePath(name)));
        Assert.Equal(Fixture(name), File.ReadAllBytes(path));
    }

    [Theory]
    [InlineData(new int[0])]
    [InlineData(new[] { 0 })]
    [InlineData(new[] { 3 })]
    [InlineData(new[] { 2, 3 })]
    [InlineData(new[] { 1, 0, 5 })]
    public void Round_trips_every_dtype(int[] dims)
    {
        using var dir = new TempDirectory();
        var shape = new Shape(dims);
        var f = new NDArray<float>(shape, [.. Enumerable.Range(0, (int)shape.Size).Select(i => BitConverter.UInt32BitsToSingle(0x7FC00001u + (uint)i))]);
        NpyWriter.Write(dir.File("f.npy"), f);
        NDArray<float> f2 = NpyReader.ReadFloat32(dir.File("f.npy"));
        Assert.Equal(shape, f2.Shape);
        Assert.Equal(f.Data.Select(BitConverter.SingleToUInt32Bits), f2.Data.Select(BitConverter.SingleToUInt32Bits));

        RoundTrip(dir, shape, i => 0xFFFFFFF0u + (uint)i, NpyReader.ReadUInt32);
        RoundTrip(dir, shape, i => (byte)(250 + i), NpyReader.Read<byte>);
        RoundTrip(dir, shape, i => (ushort)(65530 + i), NpyReader.Read<ushort>);
        RoundTrip(dir, shape, i => ulong.MaxValue - (ulong)i, NpyReader.Read<ulong>);
        Assert.Equal(5, dir.Entries().Length);
    }

    [Fact]
    public void Round_trips_random_arrays_through_streams()
    {
        Gen<NDArray<float>> arrays =
            from dims in Gen.Int[0, 4].Array[0, 4]
            let shape = new Shape(dims)
            from bits in Gen.UInt.Array[(int)shape.Size]
            select new NDArray<float>(shape, [.. bits.Select(BitConverter.UInt32BitsToSingle)]);
        arrays.Sample(a =>
        {
            var stream = new MemoryStream();
            NpyWriter.Write(stream, a);
            byte[] bytes = stream.ToArray();
            Assert.Equal(0, (bytes.Length - (a.Length * 4)) % 64);
            NDArray<float> back = NpyReader.ReadFloat32(new MemoryStream(bytes));
            Assert.Equal(a.Shape, back.Shape);
            Assert.Equal(a.Data.Select(BitConverter.SingleToUInt32Bits), back.Data.Select(BitConverter.SingleToUInt32Bits));
        }, iter: 2000);
    }

    [Theory]
    [InlineData(new int[0], "{'descr': '<f4', 'fortran_order': False, 'shape': (), }")]
    [InlineData(new[] { 3 }, "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }")]
    [InlineData(new[] { 2, 3 }, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }")]
    public void Formats_the_header_like_numpy(int[] dims, string dict)
    {
        byte[] preamble = NpyHeader.Format(DType.Float32, new Shape(dims));
        string text = System.Text.Encoding.ASCII.GetString(preamble, 10, preamble.Length - 10);
        Assert.StartsWith(dict, text, StringComparison.Ordinal);
        Assert.Equal(0, preamble.Length % 64);
        Assert.EndsWith(" \n", text, StringComparison.Ordinal);
        Assert.Equal(string.Empty, text[dict.Length..^1].Trim(' '));
        Assert.Equal(preamble.Length - 10, BitConverter.ToUInt16(preamble, 8));
    }

    [Fact]
    public void Writes_version_2_when_the_header_outgrows_16_bits()
    {
        // Only a shape of thousands of axes makes a header this long; numpy then switches to version 2.0 as well.
        var shape = new Shape([.. Enumerable.Repeat(1, 22000)]);
        byte[] preamble = NpyHeader.Format(DType.Float32, shape);
        Assert.Equal((2, 0), (preamble[6], preamble[7]));
        Assert.Equal(0, preamble.Length % 64);
        Assert.Equal(preamble.Length - 12, BitConverter.ToInt32(preamble, 8));

        var stream = new MemoryStream();
        NpyWriter.Write(stream, new NDArray<float>(shape, [42f]));
        stream.Position = 0;
        NDArray<float> back = NpyReader.ReadFloat32(stream);
        Assert.Equal(shape, back.Shape);
        Assert.Equal([42f], back.Data);
    }

    [Fact]
    public void Replaces_an_existing_file()
    {
        using var dir = new TempDirectory();
        string path = dir.File("w.npy");
        NpyWriter.Write(path, new NDArray<float>(new Shape(100)));
        NpyWriter.Write(path, new NDArray<float>(new Shape(2), [1f, 2f]));
        Assert.Equal([1f, 2f], NpyReader.ReadFloat32(path).Data);
        Assert.Equal(["w.npy"], dir.Entries());
    }

    [Fact]
    public void A_cancelled_write_leaves_the_old_file_and_no_temporary()
    {
        using var dir = new TempDirectory();
        string path = dir.File("w.npy");
        NpyWriter.Write(path, new NDArray<float>(new Shape(1), [7f]));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => NpyWriter.Write(path, new NDArray<float>(new Shape(1 << 20)), cancelled.Token));
        Assert.Equal(["w.npy"], dir.Entries());
        Assert.Equal([7f], NpyReader.ReadFloat32(path).Data);
    }

    [Fact]
    public void Writing_into_a_missing_directory_fails_and_creates_nothing()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "gone", "w.npy");
        var e = Assert.Throws<DirectoryNotFoundException>(() => NpyWriter.Write(path, new NDArray<float>(new Shape(3))));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Empty(dir.Entries());
    }

    [Fact]
    public void Writing_over_a_directory_fails_and_creates_nothing()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("d.npy"));
        var e = Assert.Throws<IOException>(() => NpyWriter.Write(dir.File("d.npy"), new NDArray<float>(new Shape(3))));
        Assert.Contains("is a directory", e.Message, StringComparison.Ordinal);
        Assert.Equal(["d.npy"], dir.Entries());
    }

    private static void RoundTrip<T>(TempDirectory dir, Shape shape, Func<int, T> value, Func<string, NDArray<T>> read) where T : unmanaged
    {
        string path = dir.File(typeof(T).Name + ".npy");
        var a = new NDArray<T>(shape, [.. Enumerable.Range(0, (int)shape.Size).Select(value)]);
        NpyWriter.Write(path, a);
        NDArray<T> back = read(path);
        Assert.Equal(shape, back.Shape);
        Assert.Equal(a.Data, back.Data);
    }
}
