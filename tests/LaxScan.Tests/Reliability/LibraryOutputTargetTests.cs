using LaxScan.Io;
using LaxScan.Linen;
using LaxScan.Tests.Cli;

namespace LaxScan.Tests.Reliability;

/// <summary>
/// Every file writer of the library (<see cref="NpyWriter"/>, <see cref="NpyStreamWriter{T}"/>,
/// <see cref="FlaxSerialization.WriteFile"/>) given a target that is not a plain file: a FIFO and a device node are
/// written in place and stay what they are; a symlink stays a link and the file it points to is replaced; a socket is
/// refused and kept. Before the one writer existed, each of these was renamed over (the FIFO, device and link became
/// regular files, and the link's target was left as it was).
/// </summary>
public class LibraryOutputTargetTests
{
    private static readonly NDArray<float> Array = new(new Shape(2, 3), [0.5f, -1f, 0.25f, 2f, float.NaN, -0f]);

    public static TheoryData<string> Writers => ["npy", "stream", "msgpack"];

    [Theory]
    [MemberData(nameof(Writers))]
    public void A_fifo_receives_the_bytes_and_stays_a_fifo(string writer)
    {
        using var directory = new TempDirectory();
        string fifo = directory["out"];
        SpecialFiles.MakeFifo(fifo);
        byte[] expected = Expected(writer);
        using (var reader = new FifoReader(fifo, expected.Length))
        {
            Write(writer, fifo);
            Assert.Equal("fifo", SpecialFiles.Kind(fifo));
            Assert.Equal(expected, reader.Bytes());
        }

        Assert.Equal(["out"], directory.Files());
    }

    [Theory]
    [MemberData(nameof(Writers))]
    public void A_device_node_is_written_in_place_and_stays_a_device(string writer)
    {
        using var directory = new TempDirectory();
        string device = directory["null"];
        SpecialFiles.MakeNullDevice(device);
        Write(writer, device);
        Assert.Equal("character special file", SpecialFiles.Kind(device));
        Assert.Equal(["null"], directory.Files());
    }

    [Theory]
    [MemberData(nameof(Writers))]
    public void A_symlink_is_kept_and_the_file_it_points_to_is_replaced(string writer)
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "symlinks need privileges on Windows");
        using var directory = new TempDirectory();
        Directory.CreateDirectory(directory["real"]);
        File.WriteAllText(directory["real/target"], "old");
        File.CreateSymbolicLink(directory["link"], "real/target");
        Write(writer, directory["link"]);
        Assert.Equal("symbolic link", SpecialFiles.Kind(directory["link"]));
        Assert.Equal("real/target", new FileInfo(directory["link"]).LinkTarget);
        Assert.Equal(Expected(writer), File.ReadAllBytes(directory["real/target"]));
        Assert.Equal(["link", "real"], directory.Files());
        Assert.Equal(["target"], Directory.GetFileSystemEntries(directory["real"]).Select(Path.GetFileName));
    }

    [Theory]
    [MemberData(nameof(Writers))]
    public void A_chain_of_symlinks_is_followed_to_the_end_and_a_dangling_link_creates_its_target(string writer)
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "symlinks need privileges on Windows");
        using var directory = new TempDirectory();
        Directory.CreateDirectory(directory["a"]);
        Directory.CreateDirectory(directory["b"]);
        File.CreateSymbolicLink(directory["first"], "a/second");
        File.CreateSymbolicLink(directory["a/second"], "../b/missing");
        Write(writer, directory["first"]);
        Assert.Equal("symbolic link", SpecialFiles.Kind(directory["first"]));
        Assert.Equal("symbolic link", SpecialFiles.Kind(directory["a/second"]));
        Assert.Equal(Expected(writer), File.ReadAllBytes(directory["b/missing"]));
        Assert.Equal(["missing"], Directory.GetFileSystemEntries(directory["b"]).Select(Path.GetFileName));
        Assert.Equal(["second"], Directory.GetFileSystemEntries(directory["a"]).Select(Path.GetFileName));
    }

    [Theory]
    [MemberData(nameof(Writers))]
    public void A_socket_is_refused_and_kept(string writer)
    {
        using var directory = new TempDirectory();
        using (SpecialFiles.MakeSocket(directory["sock"]))
        {
            var error = Assert.ThrowsAny<IOException>(() => Write(writer, directory["sock"]));
            Assert.Contains("is a socket", error.Message, StringComparison.Ordinal);

            // Inside: .NET deletes the socket's file when the socket closes.
            Assert.Equal("socket", SpecialFiles.Kind(directory["sock"]));
            Assert.Equal(["sock"], directory.Files());
        }
    }

    [Theory]
    [MemberData(nameof(Writers))]
    public void A_regular_file_is_still_replaced_whole(string writer)
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory["out"], new string('x', 100_000));
        Write(writer, directory["out"]);
        Assert.Equal(Expected(writer), File.ReadAllBytes(directory["out"]));
        Assert.Equal(["out"], directory.Files());
    }

    [Fact]
    public void A_target_name_at_the_longest_a_file_system_allows_is_written()
    {
        // The temporary file's name adds a dot, a GUID and ".tmp" to the target's; it must still fit NAME_MAX (255).
        using var directory = new TempDirectory();
        string name = new('n', 255);
        NpyWriter.Write(directory[name], Array);
        Assert.Equal(Expected("npy"), File.ReadAllBytes(directory[name]));
        Assert.Equal([name], directory.Files());
    }

    private static void Write(string writer, string path)
    {
        switch (writer)
        {
            case "npy":
                NpyWriter.Write(path, Array);
                break;
            case "stream":
                using (var stream = new NpyStreamWriter<float>(path, Array.Shape))
                {
                    stream.WriteRow(Array.Span[..3]);
                    stream.WriteRow(Array.Span[3..]);
                    stream.Complete();
                }

                break;
            default:
                FlaxSerialization.WriteFile(path, Variables());
                break;
        }
    }

    private static byte[] Expected(string writer)
    {
        if (writer == "msgpack")
        {
            return FlaxSerialization.ToBytes(Variables());
        }

        var bytes = new MemoryStream();
        NpyWriter.Write(bytes, Array);
        return bytes.ToArray();
    }

    private static Variables Variables() => LaxScan.Linen.Variables.Empty.With("params", LaxScan.Linen.Variables.Empty.With("W", Array));
}
