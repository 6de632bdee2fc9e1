using System.Buffers.Binary;
using System.Text;

namespace LaxScan.Tests.Io;

/// <summary>Finds the numpy-made fixtures and builds .npy bytes by hand for the malformed cases.</summary>
internal static class NpyTestFiles
{
    private static readonly Lazy<string> FixtureDirectory = new(FindFixtures);

    /// <summary>The bytes of a fixture made by make_fixtures.py.</summary>
    public static byte[] Fixture(string name) => File.ReadAllBytes(FixturePath(name));

    public static string FixturePath(string name) => Path.Combine(FixtureDirectory.Value, name);

    /// <summary>
    /// The fixtures are read from the source tree (found by walking up from the test binaries), so the test project
    /// needs no copy-to-output item; a copy next to the binaries, if someone adds one, wins.
    /// </summary>
    private static string FindFixtures()
    {
        string relative = Path.Combine("tests", "LaxScan.Tests", "Io", "Fixtures");
        string besideBinaries = Path.Combine(AppContext.BaseDirectory, "Io", "Fixtures");
        if (File.Exists(Path.Combine(besideBinaries, "f4_3.npy")))
        {
            return besideBinaries;
        }

        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(Path.Combine(candidate, "f4_3.npy")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"cannot find {relative} above {AppContext.BaseDirectory}");
    }

    /// <summary>
    /// A .npy file with the given header dict text, padded like numpy (spaces, newline, data at a multiple of 64) unless
    /// <paramref name="rawHeader"/> is set, in which case the header bytes go in exactly as given.
    /// </summary>
    public static byte[] Build(string dict, byte[] data, byte major = 1, byte minor = 0, long? lengthField = null, bool rawHeader = false)
    {
        int prefix = major == 1 ? 10 : 12;
        byte[] text = major == 3 ? Encoding.UTF8.GetBytes(dict) : Encoding.Latin1.GetBytes(dict);
        byte[] header;
        if (rawHeader)
        {
            header = text;
        }
        else
        {
            int unpadded = prefix + text.Length + 1;
            int pad = (64 - (unpadded % 64)) % 64;
            header = [.. text, .. Enumerable.Repeat((byte)' ', pad), (byte)'\n'];
        }

        var bytes = new List<byte>(Magic) { major, minor };
        var field = new byte[major == 1 ? 2 : 4];
        long length = lengthField ?? header.Length;
        if (major == 1)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(field, (ushort)length);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(field, (uint)length);
        }

        bytes.AddRange(field);
        bytes.AddRange(header);
        bytes.AddRange(data);
        return [.. bytes];
    }

    public static byte[] Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>A header dict in numpy's spelling.</summary>
    public static string Dict(string descr = "<f4", string fortran = "False", string shape = "(2, 3)") =>
        $"{{'descr': '{descr}', 'fortran_order': {fortran}, 'shape': {shape}, }}";

    /// <summary>The float32 values make_fixtures.py's arange(n) makes: i * 0.25 - 1.5, all exact in float32.</summary>
    public static float[] Arange(int n) => [.. Enumerable.Range(0, n).Select(i => (i * 0.25f) - 1.5f)];
}

/// <summary>A scratch directory deleted after the test.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "laxscan-npy-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Every file in the directory, including hidden temporaries.</summary>
    public string[] Entries() => Directory.Exists(Path) ? [.. Directory.EnumerateFileSystemEntries(Path).Select(System.IO.Path.GetFileName).Order()!] : [];

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}

/// <summary>A stream that cannot seek and returns short reads, as a pipe does, so the reader's non-seekable path and its handling of partial reads run.</summary>
internal sealed class TrickleStream(byte[] data, int maxRead = 7) : Stream
{
    private int _position;
    private int _turn;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        // Deterministic short reads of 1..maxRead bytes: the reader must loop rather than trust one Read.
        int n = Math.Min(Math.Min(buffer.Length, data.Length - _position), 1 + (_turn++ % maxRead));
        data.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
