using System.Text;
using LaxScan.Io;
using static LaxScan.Tests.Io.NpyTestFiles;

namespace LaxScan.Tests.Io;

/// <summary>Every way a .npy file can be wrong fails as one <see cref="NpyFormatException"/> that names the file and the problem.</summary>
public class NpyMalformedTests
{
    private static readonly byte[] Body = new byte[24];

    private static byte[] Valid => Build(Dict(), Body);

    private static byte[] Ascii(string s) => Encoding.Latin1.GetBytes(s);

    /// <summary>(the bytes, the kind, a fragment the message must contain), by a name that says what is wrong.</summary>
    private static readonly Dictionary<string, (Func<byte[]> Bytes, NpyErrorKind Kind, string Fragment)> Cases = new()
    {
        ["empty file"] = (() => [], NpyErrorKind.Empty, "the file is empty; a .npy file starts with the magic string \\x93NUMPY"),
        ["truncated magic"] = (() => Magic[..4], NpyErrorKind.Truncated, "it ends after 4 bytes, inside the magic string"),
        ["zip file"] = (() => [0x50, 0x4B, 0x03, 0x04, 0, 0, 0, 0, 0, 0], NpyErrorKind.BadMagic, "not a .npy file: it starts with 'PK\\x03\\x04\\x00"),
        ["text file"] = (() => Ascii("a,b,c\n1,2,3\n"), NpyErrorKind.BadMagic, "not a .npy file: it starts with 'a,b,c\\n1,' instead of the magic string \\x93NUMPY"),
        ["short non-magic"] = (() => Ascii("NU"), NpyErrorKind.BadMagic, "not a .npy file"),
        ["truncated version"] = (() => [.. Magic, 1], NpyErrorKind.Truncated, "it ends after 7 bytes, inside the format version"),
        ["version 4.0"] = (() => Build(Dict(), Body, major: 4), NpyErrorKind.UnsupportedVersion, "unsupported .npy format version 4.0; LaxScan reads .npy format versions 1.0, 2.0 and 3.0"),
        ["version 1.1"] = (() => Build(Dict(), Body, minor: 1), NpyErrorKind.UnsupportedVersion, "version 1.1"),
        ["version 0.0"] = (() => Build(Dict(), Body, major: 0), NpyErrorKind.UnsupportedVersion, "version 0.0"),
        ["truncated length field"] = (() => [.. Magic, 2, 0, 0x76, 0], NpyErrorKind.Truncated, "it ends after 10 bytes, inside the header length field"),
        ["header length beyond the file"] = (() => Build(Dict(), Body, lengthField: 0xFFC0), NpyErrorKind.Truncated, "the field says 65472 header bytes follow, but only 142 do"),
        ["absurd header length"] = (() => Build(Dict(), Body, major: 2, lengthField: 0xFFFFFFF4), NpyErrorKind.BadHeaderLength, "the header length field says 4294967284 bytes, more than the 1048576 any .npy header needs"),
        ["misaligned header length"] = (() => Build(Dict(), Body, lengthField: 117), NpyErrorKind.BadHeaderLength, "would start the data at byte 127"),
        ["zero header length"] = (() => Build(Dict(), Body, lengthField: 0), NpyErrorKind.BadHeaderLength, "would start the data at byte 10"),
        ["file cut inside the header"] = (() => Valid[..50], NpyErrorKind.Truncated, "the field says 118 header bytes follow, but only 40 do"),
        ["header without a newline"] = (() => Build(Dict() + new string(' ', 64 - ((10 + Dict().Length) % 64)), Body, rawHeader: true), NpyErrorKind.BadHeader, "the header does not end with a newline"),
        ["empty dict"] = (() => Build("{}", []), NpyErrorKind.BadHeader, "the header has no 'descr' key; a .npy header has exactly the keys 'descr', 'fortran_order' and 'shape'"),
        ["missing shape"] = (() => Build("{'descr': '<f4', 'fortran_order': False, }", Body), NpyErrorKind.BadHeader, "the header has no 'shape' key"),
        ["extra key"] = (() => Build("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), 'x': 1, }", Body), NpyErrorKind.BadHeader, "unexpected key 'x' in the header"),
        ["duplicate key"] = (() => Build("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", Body), NpyErrorKind.BadHeader, "the key 'descr' appears twice"),
        ["descr not a string"] = (() => Build("{'descr': 5, 'fortran_order': False, 'shape': (2, 3), }", Body), NpyErrorKind.BadHeader, "expected a quoted dtype string such as '<f4' after 'descr' at character 10, found '5'"),
        ["structured dtype"] = (() => Build("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2, 3), }", Body), NpyErrorKind.UnsupportedDType, "the dtype is a structured or sub-array dtype"),
        ["fortran_order 0"] = (() => Build(Dict(fortran: "0"), Body), NpyErrorKind.BadHeader, "expected True or False after 'fortran_order'"),
        ["fortran_order lower case"] = (() => Build(Dict(fortran: "false"), Body), NpyErrorKind.BadHeader, "expected True or False"),
        ["shape a list"] = (() => Build(Dict(shape: "[2, 3]"), Body), NpyErrorKind.BadHeader, "expected a tuple such as (3, 4) after 'shape'"),
        ["shape an integer in parentheses"] = (() => Build(Dict(shape: "(6)"), Body), NpyErrorKind.BadHeader, "the shape (6) is an integer, not a tuple; a 1-D shape is written (6,)"),
        ["shape with True"] = (() => Build(Dict(shape: "(True,)"), Body), NpyErrorKind.BadHeader, "expected a non-negative integer in the shape tuple"),
        ["shape with a float"] = (() => Build(Dict(shape: "(2.0, 3)"), Body), NpyErrorKind.BadHeader, "expected ',' or ')' in the shape tuple"),
        ["shape with a leading zero"] = (() => Build(Dict(shape: "(02, 3)"), Body), NpyErrorKind.BadHeader, "without leading zeros"),
        ["negative dimension"] = (() => Build(Dict(shape: "(-1, 3)"), Body), NpyErrorKind.BadShape, "the shape has a negative dimension -1; every dimension must be >= 0"),
        ["dimension beyond int32"] = (() => Build(Dict(shape: "(2147483648,)"), Body), NpyErrorKind.BadShape, "a dimension 2147483648, larger than 2147483647"),
        ["dimension with 30 digits"] = (() => Build(Dict(shape: "(123456789012345678901234567890,)"), Body), NpyErrorKind.BadShape, "larger than 2147483647"),
        ["shape overflowing 64 bits"] = (() => Build(Dict(shape: "(2147483647, 2147483647, 2147483647)"), Body), NpyErrorKind.BadShape, "the shape (2147483647, 2147483647, 2147483647) of float32 has more bytes than a 64-bit count holds"),
        ["bytes overflowing 64 bits"] = (() => Build(Dict(shape: "(2147483647, 2147483647, 2)"), Body), NpyErrorKind.BadShape, "more bytes than a 64-bit count holds"),
        ["unclosed string"] = (() => Build("{'descr: '<f4', 'fortran_order': False, 'shape': (2, 3), }", Body), NpyErrorKind.BadHeader, "expected ':' after a key"),
        ["string running to the end"] = (() => Build("{'descr", Body), NpyErrorKind.BadHeader, "the string starting at character 1 is not closed"),
        ["escape in a string"] = (() => Build(Dict(descr: "<f\\x34"), Body), NpyErrorKind.BadHeader, "expected a plain ASCII string"),
        ["non-ASCII in a v3 header"] = (() => Build(Dict(descr: "<fé"), Body, major: 3), NpyErrorKind.BadHeader, "expected a plain ASCII string (closing ') at character 13, found '\\xc3'"),
        ["text after the dict"] = (() => Build(Dict() + " x", Body), NpyErrorKind.BadHeader, "expected only spaces and a newline after the closing '}'"),
        ["text before the dict"] = (() => Build(" " + Dict(), Body), NpyErrorKind.BadHeader, "expected '{' opening the header dict at character 0, found ' '"),
        ["big-endian float32"] = (() => Fixture("f4_big_endian.npy"), NpyErrorKind.UnsupportedDType, "the data is big-endian float32 ('>f4'); LaxScan needs float32 ('<f4') here, little-endian: save it with a.astype('<f4')"),
        ["float64"] = (() => Fixture("f8_3.npy"), NpyErrorKind.UnsupportedDType, "the data is float64 ('<f8'); LaxScan needs float32 ('<f4') here: save it with a.astype('<f4')"),
        ["int32"] = (() => Fixture("i4_3.npy"), NpyErrorKind.UnsupportedDType, "the data is int32 ('<i4')"),
        ["unknown dtype"] = (() => Build(Dict(descr: "xyz"), Body), NpyErrorKind.UnsupportedDType, "unsupported dtype 'xyz'; LaxScan needs float32 ('<f4') here"),
        ["uint32 when float32 is asked"] = (() => Fixture("u4_2x2.npy"), NpyErrorKind.DTypeMismatch, "the data is uint32 ('<u4') but float32 ('<f4') is required"),
        ["Fortran order"] = (() => Fixture("f4_fortran_2x3.npy"), NpyErrorKind.FortranOrder, "the array is stored in Fortran (column-major) order; LaxScan reads C order only: save np.ascontiguousarray(a) instead"),
        ["numpy file with a dimension beyond int32"] = (() => Fixture("f4_12345678901x0.npy"), NpyErrorKind.BadShape, "a dimension 12345678901, larger than 2147483647"),
        ["data cut short"] = (() => Valid[..^4], NpyErrorKind.Truncated, "the data is truncated: shape (2, 3) of float32 needs 24 bytes, but only 20 follow the header"),
        ["no data"] = (() => Build(Dict(), []), NpyErrorKind.Truncated, "needs 24 bytes, but only 0 follow the header"),
        ["header lies: shape too big"] = (() => Build(Dict(shape: "(1000000, 1000000)"), Body), NpyErrorKind.Truncated, "shape (1000000, 1000000) of float32 needs 4000000000000 bytes, but only 24 follow"),
        ["trailing garbage"] = (() => [.. Valid, 0], NpyErrorKind.TrailingData, "1 unexpected bytes follow the data: shape (2, 3) of float32 needs 24 bytes, but 25 follow the header"),
        ["header lies: shape too small"] = (() => Build(Dict(shape: "(2, 2)"), Body), NpyErrorKind.TrailingData, "8 unexpected bytes follow the data"),
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Fails_with_a_message_naming_the_file_and_the_problem(string name)
    {
        (Func<byte[]> bytes, NpyErrorKind kind, string fragment) = Cases[name];
        using var dir = new TempDirectory();
        string path = dir.File("x.npy");
        File.WriteAllBytes(path, bytes());

        var e = Assert.Throws<NpyFormatException>(() => NpyReader.ReadFloat32(path));
        Assert.Equal(kind, e.Kind);
        Assert.Equal(path, e.FileName);
        Assert.StartsWith(path + ": ", e.Message, StringComparison.Ordinal);
        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<FormatException>(e);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Fails_the_same_way_from_a_non_seekable_stream(string name)
    {
        (Func<byte[]> bytes, NpyErrorKind kind, _) = Cases[name];
        var e = Assert.Throws<NpyFormatException>(() => NpyReader.ReadFloat32(new TrickleStream(bytes())));
        Assert.StartsWith("<stream>: ", e.Message, StringComparison.Ordinal);

        // Without the stream's length the reader learns of a short file only when it runs out, so the length and
        // alignment checks can swap order; every other problem is found the same way.
        if (kind is not (NpyErrorKind.Truncated or NpyErrorKind.BadHeaderLength))
        {
            Assert.Equal(kind, e.Kind);
        }
    }

    [Fact]
    public void A_non_seekable_stream_with_trailing_bytes_fails()
    {
        var e = Assert.Throws<NpyFormatException>(() => NpyReader.ReadFloat32(new TrickleStream([.. Valid, 1, 2, 3]), "pipe"));
        Assert.Equal(NpyErrorKind.TrailingData, e.Kind);
        Assert.Equal("pipe: unexpected bytes follow the data: shape (2, 3) of float32 needs 24 bytes, but more follow the header; the header's shape is wrong or the stream has trailing garbage", e.Message);
    }

    [Fact]
    public void A_non_seekable_stream_whose_header_lies_fails_after_the_data_that_exists()
    {
        // 10^12 floats announced, 24 bytes present: the array must grow only with the data, not be allocated up front.
        byte[] file = Build(Dict(shape: "(1000000, 1000000)"), Body);
        var e = Assert.Throws<NpyFormatException>(() => NpyReader.ReadFloat32(new TrickleStream(file)));
        Assert.Equal(NpyErrorKind.Truncated, e.Kind);
        Assert.Contains("needs 4000000000000 bytes, but only 24 follow the header", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_general_reader_lists_what_it_accepts()
    {
        var e = Assert.Throws<NpyFormatException>(() => NpyReader.Read(FixturePath("f8_3.npy")));
        Assert.Equal(NpyErrorKind.UnsupportedDType, e.Kind);
        Assert.EndsWith("the data is float64 ('<f8'); LaxScan reads '<f4' (float32), '|u1' or '<u1' (uint8), '<u2' (uint16), '<u4' (uint32) and '<u8' (uint64)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reading_uint32_from_a_float32_file_says_which_is_which()
    {
        var e = Assert.Throws<NpyFormatException>(() => NpyReader.ReadUInt32(FixturePath("f4_3.npy")));
        Assert.Equal(NpyErrorKind.DTypeMismatch, e.Kind);
        Assert.EndsWith("the data is float32 ('<f4') but uint32 ('<u4') is required", e.Message, StringComparison.Ordinal);
    }
}
