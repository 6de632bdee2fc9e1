using LaxScan.Io;
using LaxScan.Models;
using LaxScan.Nn;
using LaxScan.Random;
using LaxScan.Tests.Io;

namespace LaxScan.Tests.Reliability;

/// <summary>
/// The bad-input matrix of docs/reliability.md for the library API: each row is a call and the exception type and
/// message fragment it must raise, or null for the rows that are valid input (NaN propagates, long T is accepted).
/// </summary>
public class LibraryBadInputMatrix
{
    /// <summary>One row: the call (given a scratch directory), the exception type it raises (null: none), a fragment of the message.</summary>
    public sealed record Row(string Name, Type? Exception, string Fragment, Action<string> Call);

    private static Row R(string name, Type? exception, string fragment, Action call) => new(name, exception, fragment, _ => call());

    private static Row Npy(string name, string fragment) =>
        new(name, typeof(NpyFormatException), fragment, dir => NpyReader.ReadFloat32(BadNpyFiles.Write(dir, name)));

    private static readonly PrngKey Key = PrngKey.FromSeed(0);

    public static readonly Row[] Rows =
    [
        R("x of the wrong length", typeof(ArgumentException), "but x has shape (2,)", () => LaxScanFunctions.LaxScanInModule(0, [1f, 2f], 3, 1)),
        R("x of rank 3", typeof(ArgumentException), "but x has shape (1, 1, 3)", () => LaxScanFunctions.LaxScanInModule(Key, new NDArray<float>(new Shape(1, 1, 3)), 3, 1)),
        R("hidden = 0", typeof(ArgumentOutOfRangeException), "hidden must be >= 1, but was given 0", () => LaxScanFunctions.LaxScanInModule(0, [], 0, 1)),
        R("hidden < 0", typeof(ArgumentOutOfRangeException), "hidden must be >= 1, but was given -3", () => LaxScanFunctions.Params(Key, -3)),
        R("steps < 0", typeof(ArgumentOutOfRangeException), "steps (T) must be >= 0, but was given -1", () => new LaxScanModule(1, -1)),
        R("steps beyond int32 (accepted as int64)", null, "", () => Assert.Equal(3_000_000_000L, new LaxScanModule(1, 3_000_000_000L).Steps)),
        R("NaN and +-Inf in x propagate", null, "", () => Assert.All(LaxScanFunctions.LaxScanInModule(0, [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f], 4, 1).Data, v => Assert.True(float.IsNaN(v)))),
        R("+-Inf alone saturates tanh", null, "", () => Assert.All(LaxScanFunctions.LaxScanInModule(0, [float.PositiveInfinity], 1, 0).Data, v => Assert.Equal(1f, MathF.Abs(v)))),
        R("seed at the ends of int64 (a wider seed is not representable)", null, "", () => Assert.Equal(new PrngKey(0, uint.MaxValue), PrngKey.FromSeed(long.MaxValue))),
        R("threads < 0", typeof(ArgumentOutOfRangeException), "threads must be >= 0 (0 = automatic), but was given -1", () => LaxScanFunctions.LaxScanInModule(0, [1f], 1, 1, new LaxScanOptions { Threads = -1 })),
        R("shape with a zero dimension", null, "", () => Assert.Empty(JaxRandom.Normal(Key, new Shape(0, 3)).Data)),
        R("fan initializer on a zero dimension", typeof(ArgumentException), "size 0", () => Initializers.GlorotUniform()(Key, new Shape(0, 3))),
        R("shape with a negative dimension", typeof(ArgumentException), "has a negative dimension (-1)", () => _ = new Shape(2, -1)),
        R("shape whose size overflows", typeof(ArgumentException), "more elements than a 64-bit count can hold", () => _ = new Shape(int.MaxValue, int.MaxValue, int.MaxValue)),
        R("W too large for memory", typeof(InsufficientMemoryException), "array of shape (100000, 100000) (float32) has 10,000,000,000 elements", () => LaxScanFunctions.Params(Key, 100_000)),
        R("output too large for memory", typeof(InsufficientMemoryException), "10,000,000,000 elements", () => JaxRandom.Normal(Key, new Shape(100_000, 100_000))),
        R("unknown initializer", typeof(ArgumentException), "lecun_normall", () => Initializers.ByName("lecun_normall")),
        R("option the initializer does not take", typeof(ArgumentException), "stddev", () => Initializers.ByName("zeros", new InitializerOptions { Stddev = 1 })),
        new("npy: missing file", typeof(FileNotFoundException), "missing.npy", dir => NpyReader.ReadFloat32(Path.Combine(dir, "missing.npy"))),
        new("npy: a directory", typeof(UnauthorizedAccessException), "", dir => NpyReader.ReadFloat32(dir)),
        Npy("npy: empty file", "the file is empty"),
        Npy("npy: truncated data", "the data is truncated"),
        Npy("npy: truncated inside the magic", "inside the magic string"),
        Npy("npy: bad magic", "not a .npy file"),
        Npy("npy: unsupported version 4.0", "unsupported .npy format version 4.0"),
        Npy("npy: big-endian float32", "big-endian float32"),
        Npy("npy: float64", "float64 ('<f8')"),
        Npy("npy: int32", "int32 ('<i4')"),
        Npy("npy: uint32", "uint32 ('<u4') but float32 ('<f4') is required"),
        Npy("npy: Fortran order", "Fortran (column-major) order"),
        Npy("npy: header claims a larger shape", "needs 12000000 bytes, but only 24 follow"),
        Npy("npy: header claims a smaller shape", "12 unexpected bytes follow the data"),
        Npy("npy: header longer than the file", "the field says 65472 header bytes follow"),
        Npy("npy: trailing garbage", "1 unexpected bytes follow the data"),
        Npy("npy: negative dimension", "negative dimension -2"),
        Npy("npy: dimension beyond int32", "larger than 2147483647"),
    ];

    public static TheoryData<string> Names => [.. Rows.Select(r => r.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public void Each_row_raises_its_exception_with_a_message_naming_the_problem(string name)
    {
        Row row = Rows.Single(r => r.Name == name);
        using var directory = new LaxScan.Tests.Io.TempDirectory();
        if (row.Exception is null)
        {
            row.Call(directory.Path);
            return;
        }

        Exception e = Assert.ThrowsAny<Exception>(() => row.Call(directory.Path));
        Assert.IsAssignableFrom(row.Exception, e);
        Assert.Contains(row.Fragment, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_matrix_has_a_row_for_every_malformed_npy_file()
    {
        Assert.Empty(BadNpyFiles.Bytes.Keys.Except(Rows.Select(r => r.Name)));
    }
}
