using LaxScan.Io;

namespace LaxScan.Tests.Io;

/// <summary>The row-by-row writer makes the same file as <see cref="NpyWriter"/>, and nothing unless every row arrived.</summary>
public class NpyStreamWriterTests
{
    private static readonly Shape Trace = new(4, 3);

    private static float[] Row(int r) => [r, r + 0.5f, -r];

    [Fact]
    public void Complete_makes_the_file_np_save_makes()
    {
        using var dir = new TempDirectory();
        string path = dir.File("trace.npy");
        using (var writer = new NpyStreamWriter<float>(path, Trace))
        {
            Assert.Equal((4, 3), (writer.RowCount, writer.RowLength));
            for (int r = 0; r < 4; r++)
            {
                Assert.False(File.Exists(path));
                writer.WriteRow(Row(r));
            }

            Assert.Equal(4, writer.RowsWritten);
            writer.Complete();
        }

        var expected = new MemoryStream();
        NpyWriter.Write(expected, new NDArray<float>(Trace, [.. Enumerable.Range(0, 4).SelectMany(Row)]));
        Assert.Equal(expected.ToArray(), File.ReadAllBytes(path));
        Assert.Equal(["trace.npy"], dir.Entries());
    }

    [Fact]
    public void Zero_rows_make_an_empty_array()
    {
        using var dir = new TempDirectory();
        using (var writer = new NpyStreamWriter<uint>(dir.File("e.npy"), new Shape(0, 5)))
        {
            writer.Complete();
        }

        Assert.Equal(new Shape(0, 5), NpyReader.ReadUInt32(dir.File("e.npy")).Shape);
    }

    [Fact]
    public void Disposing_before_Complete_leaves_nothing()
    {
        using var dir = new TempDirectory();
        using (var writer = new NpyStreamWriter<float>(dir.File("t.npy"), Trace))
        {
            writer.WriteRow(Row(0));
            Assert.Single(dir.Entries());   // the hidden temporary
        }

        Assert.Empty(dir.Entries());
    }

    [Fact]
    public void Missing_rows_fail_Complete_and_leave_nothing()
    {
        using var dir = new TempDirectory();
        using (var writer = new NpyStreamWriter<float>(dir.File("t.npy"), Trace))
        {
            writer.WriteRow(Row(0));
            var e = Assert.Throws<InvalidOperationException>(writer.Complete);
            Assert.Equal("only 1 of the 4 rows of the array of shape (4, 3) were written; a .npy file cannot be completed with fewer rows than its header announces", e.Message);
        }

        Assert.Empty(dir.Entries());
    }

    [Fact]
    public void Cancellation_between_rows_leaves_nothing_and_keeps_the_old_file()
    {
        using var dir = new TempDirectory();
        string path = dir.File("t.npy");
        File.WriteAllText(path, "old");
        using var cts = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            using var writer = new NpyStreamWriter<float>(path, Trace);
            for (int r = 0; r < 4; r++)
            {
                if (r == 2)
                {
                    cts.Cancel();
                }

                writer.WriteRow(Row(r), cts.Token);
            }

            writer.Complete();
        });
        Assert.Equal(["t.npy"], dir.Entries());
        Assert.Equal("old", File.ReadAllText(path));
    }

    [Fact]
    public void A_directory_removed_while_writing_fails_Complete_and_leaves_nothing()
    {
        var dir = new TempDirectory();
        string path = dir.File("t.npy");
        using (var writer = new NpyStreamWriter<float>(path, Trace))
        {
            for (int r = 0; r < 4; r++)
            {
                writer.WriteRow(Row(r));
            }

            dir.Dispose();
            Assert.ThrowsAny<IOException>(writer.Complete);
        }

        Assert.False(File.Exists(path));
        Assert.False(Directory.Exists(dir.Path));
    }

    [Fact]
    public void Rejects_misuse()
    {
        using var dir = new TempDirectory();
        Assert.Throws<ArgumentException>(() => new NpyStreamWriter<float>(dir.File("s.npy"), Shape.Scalar));
        Assert.Empty(dir.Entries());

        var writer = new NpyStreamWriter<float>(dir.File("t.npy"), new Shape(1, 3));
        var wrongLength = Assert.Throws<ArgumentException>(() => writer.WriteRow([1f, 2f]));
        Assert.StartsWith("a row of an array of shape (1, 3) has 3 elements, not 2", wrongLength.Message, StringComparison.Ordinal);
        writer.WriteRow(Row(1));
        var extra = Assert.Throws<InvalidOperationException>(() => writer.WriteRow(Row(2)));
        Assert.Equal("all 1 rows of the array of shape (1, 3) are already written", extra.Message);
        writer.Complete();
        Assert.Throws<ObjectDisposedException>(() => writer.WriteRow(Row(3)));
        Assert.Throws<ObjectDisposedException>(writer.Complete);
        writer.Dispose();
        writer.Dispose();
        Assert.Equal(["t.npy"], dir.Entries());
    }
}
