using static LaxScan.Tests.Io.NpyTestFiles;

namespace LaxScan.Tests.Reliability;

/// <summary>
/// The .npy rows of the bad-input matrix, shared by the CLI and library matrices so both read the same bytes. Every
/// file would be a valid x for hidden = 3 if it were well formed: shape (2, 3), or (3,).
/// </summary>
internal static class BadNpyFiles
{
    private static readonly byte[] Data = new byte[24];

    /// <summary>The bytes of each malformed file, by matrix row name.</summary>
    public static readonly IReadOnlyDictionary<string, Func<byte[]>> Bytes = new Dictionary<string, Func<byte[]>>
    {
        ["npy: empty file"] = () => [],
        ["npy: truncated data"] = () => Build(Dict(), Data)[..^4],
        ["npy: truncated inside the magic"] = () => Magic[..4],
        ["npy: bad magic"] = () => "0.5,-1,0.25\n"u8.ToArray(),
        ["npy: unsupported version 4.0"] = () => Build(Dict(), Data, major: 4),
        ["npy: big-endian float32"] = () => Fixture("f4_big_endian.npy"),
        ["npy: float64"] = () => Fixture("f8_3.npy"),
        ["npy: int32"] = () => Fixture("i4_3.npy"),
        ["npy: uint32"] = () => Fixture("u4_2x2.npy"),
        ["npy: Fortran order"] = () => Fixture("f4_fortran_2x3.npy"),
        ["npy: header claims a larger shape"] = () => Build(Dict(shape: "(1000000, 3)"), Data),
        ["npy: header claims a smaller shape"] = () => Build(Dict(shape: "(1, 3)"), Data),
        ["npy: header longer than the file"] = () => Build(Dict(), Data, lengthField: 0xFFC0),
        ["npy: trailing garbage"] = () => [.. Build(Dict(), Data), 0x42],
        ["npy: negative dimension"] = () => Build(Dict(shape: "(-2, 3)"), Data),
        ["npy: dimension beyond int32"] = () => Fixture("f4_12345678901x0.npy"),
    };

    /// <summary>Writes the named file into <paramref name="directory"/> and returns its path.</summary>
    public static string Write(string directory, string row)
    {
        string path = Path.Combine(directory, "x.npy");
        File.WriteAllBytes(path, Bytes[row]());
        return path;
    }
}
