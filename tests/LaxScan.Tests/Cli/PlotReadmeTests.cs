using System.Buffers.Binary;
using LaxScan.Io;
using LaxScan.Random;

namespace LaxScan.Tests.Cli;

/// <summary>The README's plot example: the commands it shows made the committed files it shows.</summary>
public class PlotReadmeTests
{
    private const string MakeX = "dotnet run -c Release --project src/LaxScan.Cli -- random normal --seed 1 --shape 64 --out docs/x64.npy";
    private const string MakePlot = "dotnet run -c Release --project src/LaxScan.Cli -- run --seed 0 --hidden 64 --steps 200 --x-file docs/x64.npy --plot docs/run-plot.png";

    [Fact]
    public void The_README_shows_the_commands_and_the_picture_they_made()
    {
        string readme = ReadmeTests.ReadmeText();
        Assert.Contains(MakeX, readme, StringComparison.Ordinal);
        Assert.Contains(MakePlot, readme, StringComparison.Ordinal);
        Assert.Contains("](docs/run-plot.png)", readme, StringComparison.Ordinal);
        Assert.Contains("](docs/errors.md)", readme, StringComparison.Ordinal);

        // docs/x64.npy is what the first command writes: jax.random.normal(PRNGKey(1), (64,)).
        NDArray<float> x = NpyReader.ReadFloat32(ReadmeTests.FindRepoFile("docs/x64.npy"));
        Assert.Equal(JaxRandom.Normal(PrngKey.FromSeed(1), new Shape(64)).Data, x.Data);

        byte[] png = File.ReadAllBytes(ReadmeTests.FindRepoFile("docs/run-plot.png"));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        Assert.Equal(1200u, BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(800u, BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(20)));
    }

    [Fact]
    public void The_example_command_still_draws_a_plot()
    {
        using var directory = new TempDirectory();
        CliRun run = CliHarness.Run("run", "--seed", "0", "--hidden", "64", "--steps", "200", "--x-file", ReadmeTests.FindRepoFile("docs/x64.npy"), "--plot", directory["run-plot.png"]);
        Assert.Equal(64, run.Json.GetArrayLength());
        Assert.Equal(["run-plot.png"], directory.Files());
    }
}
