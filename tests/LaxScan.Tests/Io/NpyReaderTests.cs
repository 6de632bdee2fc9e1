using LaxScan.Io;
using static LaxScan.Tests.Io.NpyTestFiles;

namespace LaxScan.Tests.Io;

/// <summary>Files written by NumPy 1.24 (Fixtures/make_fixtures.py) read back with their shapes and exact bits.</summary>
public class NpyReaderTests
{
    public static TheoryData<string, int[]> Float32Fixtures => new()
    {
        { "f4_scalar.npy", [] },
        { "f4_0.npy", [0] },
        { "f4_3.npy", [3] },
        { "f4_2x3.npy", [2, 3] },
        { "f4_1x0x5.npy", [1, 0, 5] },
        { "f4_2x3x4.npy", [2, 3, 4] },
        { "f4_1000x3.npy", [1000, 3] },
        { "f4_2x3_v2.npy", [2, 3] },
        { "f4_2x3_v3.npy", [2, 3] },
        { "f4_2x3_align16.npy", [2, 3] },
    };

    [Theory]
    [MemberData(nameof(Float32Fixtures))]
    public void Reads_numpy_float32_files(string name, int[] dims)
    {
        NDArray<float> a = NpyReader.ReadFloat32(FixturePath(name));
        Assert.Equal(new Shape(dims), a.Shape);
        float[] expected = name switch
        {
            "f4_scalar.npy" => [-2.5f],
            "f4_1x0x5.npy" or "f4_0.npy" => [],
            _ => Arange(a.Length),
        };
        Assert.Equal(expected, a.Data);
    }

    [Theory]
    [MemberData(nameof(Float32Fixtures))]
    public void Reads_the_same_through_a_non_seekable_stream(string name, int[] dims)
    {
        NDArray<float> fromFile = NpyReader.ReadFloat32(FixturePath(name));
        NDArray<float> fromPipe = NpyReader.ReadFloat32(new TrickleStream(Fixture(name)), name);
        Assert.Equal(new Shape(dims), fromPipe.Shape);
        Assert.Equal(fromFile.Data, fromPipe.Data);
    }

    [Fact]
    public void Keeps_every_bit_of_special_values()
    {
        uint[] bits = [0x00000000, 0x80000000, 0x00000001, 0x807FFFFF, 0x7FC00000, 0x7FA00001, 0x7F800000, 0xFF800000, 0x7F7FFFFF, 0x3F800000, 0xBCE7DF15, 0x3FCFB2BD];
        NDArray<float> a = NpyReader.ReadFloat32(FixturePath("f4_special.npy"));
        Assert.Equal(bits, a.Data.Select(BitConverter.SingleToUInt32Bits));
    }

    [Fact]
    public void Reads_unsigned_integer_files_typed_and_untyped()
    {
        NDArray<uint> u4 = NpyReader.ReadUInt32(FixturePath("u4_2x2.npy"));
        Assert.Equal(new Shape(2, 2), u4.Shape);
        Assert.Equal([0u, 1u, 0xDEADBEEFu, 0xFFFFFFFFu], u4.Data);

        var u1 = Assert.IsType<NDArray<byte>>(NpyReader.Read(FixturePath("u1_5.npy")));
        Assert.Equal([0, 1, 127, 128, 255], u1.Data);
        var u2 = Assert.IsType<NDArray<ushort>>(NpyReader.Read(FixturePath("u2_3.npy")));
        Assert.Equal([0, 0x1234, 0xFFFF], u2.Data);
        var u8 = Assert.IsType<NDArray<ulong>>(NpyReader.Read(FixturePath("u8_2.npy")));
        Assert.Equal([0x0123456789ABCDEFul, 0xFFFFFFFFFFFFFFFFul], u8.Data);
        Assert.Equal(DType.Float32, NpyReader.Read(FixturePath("f4_2x3.npy")).DType);
        Assert.Equal([0, 1, 127, 128, 255], NpyReader.Read<byte>(FixturePath("u1_5.npy")).Data);
    }

    [Fact]
    public void Accepts_uint8_with_either_byte_order_mark()
    {
        byte[] file = Build(Dict(descr: "<u1", shape: "(2,)"), [7, 9]);
        Assert.Equal([7, 9], NpyReader.Read<byte>(new MemoryStream(file)).Data);
    }

    [Fact]
    public void Reads_the_header_alone()
    {
        NpyHeader h = NpyReader.ReadHeader(FixturePath("f4_2x3_v2.npy"));
        Assert.Equal((2, 0), (h.MajorVersion, h.MinorVersion));
        Assert.Equal(DType.Float32, h.DType);
        Assert.Equal(new Shape(2, 3), h.Shape);
        Assert.Equal(128, h.DataOffset);
        Assert.Equal(24, h.DataLength);
    }

    [Theory]
    [InlineData("{'shape': (2, 3), 'fortran_order': False, 'descr': '<f4'}")]                // any key order, no trailing comma
    [InlineData("{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (2, 3)}")]          // double quotes are Python strings too
    [InlineData("{'descr':'<f4','fortran_order':False,'shape':(2,3,),}")]                     // no spaces, trailing commas
    [InlineData("{ 'descr' : '<f4' ,\t'fortran_order' : False , 'shape' : ( 2 , 3 ) }")]     // spaces and tabs between tokens
    public void Accepts_other_spellings_of_the_same_dict(string dict)
    {
        byte[] data = new byte[24];
        NDArray<float> a = NpyReader.ReadFloat32(new MemoryStream(Build(dict, data)));
        Assert.Equal(new Shape(2, 3), a.Shape);
    }

    [Theory]
    [InlineData("()", new int[0])]
    [InlineData("(0,)", new[] { 0 })]
    [InlineData("(3,)", new[] { 3 })]
    [InlineData("(1, 0, 5)", new[] { 1, 0, 5 })]
    [InlineData("(2147483647, 0)", new[] { int.MaxValue, 0 })]
    public void Parses_shapes(string shape, int[] dims)
    {
        var s = new Shape(dims);
        byte[] file = Build(Dict(shape: shape), new byte[s.Size * 4]);
        Assert.Equal(s, NpyReader.ReadFloat32(new MemoryStream(file)).Shape);
    }

    [Fact]
    public void Reads_from_the_stream_position()
    {
        byte[] file = Fixture("f4_3.npy");
        var stream = new MemoryStream([0xAA, 0xBB, .. file]) { Position = 2 };
        Assert.Equal(Arange(3), NpyReader.ReadFloat32(stream).Data);
    }

    [Fact]
    public void A_missing_file_is_a_FileNotFoundException_naming_it()
    {
        string path = Path.Combine(Path.GetTempPath(), "laxscan-no-such-" + Guid.NewGuid().ToString("N") + ".npy");
        var e = Assert.Throws<FileNotFoundException>(() => NpyReader.ReadFloat32(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }
}
