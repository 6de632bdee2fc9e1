using System.Globalization;
using System.Text.Json;
using LaxScan.Cli;
using LaxScan.Cli.Output;
using LaxScan.Random;
using static LaxScan.Tests.Cli.CliHarness;

namespace LaxScan.Tests.Cli;

/// <summary>The JSON text of floats, the <c>--out</c> file, and help.</summary>
public class CliOutputTests
{
    public static TheoryData<float, string> FloatTexts => new()
    {
        { 0f, "0" },
        { -0f, "-0" },
        { 1f, "1" },
        { 0.5f, "0.5" },
        { 1.6226422f, "1.6226422" },
        { -0.028304616f, "-0.028304616" },
        { 1e-5f, "1E-05" },
        { 1e7f, "10000000" },
        { float.MaxValue, "3.4028235E+38" },
        { float.Epsilon, "1E-45" },
        { -float.Epsilon, "-1E-45" },
        { float.NaN, "\"NaN\"" },
        { float.PositiveInfinity, "\"Infinity\"" },
        { float.NegativeInfinity, "\"-Infinity\"" },
    };

    [Theory]
    [MemberData(nameof(FloatTexts))]
    public void Floats_print_as_shortest_float32_text_or_a_string(float value, string expected)
    {
        string text = JsonOutput.Format(value);
        Assert.Equal(expected, text);

        // Every form is valid JSON, and a number parses back to the same float32 bits.
        JsonElement json = JsonDocument.Parse(text).RootElement;
        if (float.IsFinite(value))
        {
            Assert.Equal(JsonValueKind.Number, json.ValueKind);
            Assert.Equal(BitConverter.SingleToUInt32Bits(value), BitConverter.SingleToUInt32Bits(float.Parse(text, CultureInfo.InvariantCulture)));
        }
        else
        {
            Assert.Equal(JsonValueKind.String, json.ValueKind);
        }
    }

    [Fact]
    public void Every_float_text_of_a_large_draw_round_trips_through_JSON()
    {
        // Normal draws scaled across the exponent range hit both the plain and the exponent forms.
        NDArray<float> draw = JaxRandom.Normal(PrngKey.FromSeed(11), new Shape(4096));
        for (int i = 0; i < draw.Length; i++)
        {
            float x = draw.Data[i] * MathF.Pow(10, (i % 76) - 38);
            string text = JsonOutput.Format(x);
            JsonElement json = JsonDocument.Parse(text).RootElement;
            Assert.Equal(BitConverter.SingleToUInt32Bits(x), BitConverter.SingleToUInt32Bits(Float(json)));
        }
    }

    [Fact]
    public void Out_writes_the_same_array_as_stdout()
    {
        var files = new RecordingArrayFiles();
        CliRun run = Run(files, "random", "normal", "--seed", "42", "--shape", "2,3", "--out", "n.npy");
        var written = Assert.IsType<NDArray<float>>(files.Written["n.npy"]);
        AssertSameArray(written, run.Json);
        AssertSameArray(JaxRandom.Normal(PrngKey.FromSeed(42), new Shape(2, 3)), run.Json);
    }

    [Fact]
    public void Out_writes_keys_and_bits_as_unsigned_arrays()
    {
        var files = new RecordingArrayFiles();
        Assert.Equal(0, Run(files, "random", "split", "--num", "3", "--out", "k.npy").ExitCode);
        var keys = Assert.IsType<NDArray<uint>>(files.Written["k.npy"]);
        Assert.Equal(new Shape(3, 2), keys.Shape);
        Assert.Equal<uint>([1797259609, 2579123966, 928981903, 3453687069], keys.Data[..4]);

        Assert.Equal(0, Run(files, "random", "fold-in", "--data", "4", "--out", "f.npy").ExitCode);
        Assert.Equal<uint>([2285895361, 433833334], Assert.IsType<NDArray<uint>>(files.Written["f.npy"]).Data);

        Assert.Equal(0, Run(files, "random", "bits", "--seed", "1701", "--shape", "3", "--width", "8", "--threefry", "original", "--out", "b.npy").ExitCode);
        Assert.Equal<byte>([216, 115, 43], Assert.IsType<NDArray<byte>>(files.Written["b.npy"]).Data);
    }

    [Fact]
    public void A_failing_out_file_leaves_stdout_empty()
    {
        var files = new RecordingArrayFiles(new IOException("disk full"));
        string message = AssertFails(Run(files, "random", "normal", "--out", "n.npy"), ExitCodes.Failure);
        // The write's failure names the option and the path (CliContext.Writing), then the system's reason.
        Assert.Equal("--out 'n.npy': disk full", message);
    }

    [Fact]
    public void An_unexpected_exception_is_one_line_naming_its_type()
    {
        var files = new RecordingArrayFiles(new KeyNotFoundException("line one\nline two"));
        string message = AssertFails(Run(files, "random", "normal", "--out", "n.npy"), ExitCodes.Failure);
        Assert.Equal("KeyNotFoundException: line one line two", message);
    }

    [Fact]
    public void Root_help_lists_the_commands_and_examples()
    {
        CliRun run = Run("--help");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(string.Empty, run.Stderr);
        foreach (string word in new[] { "Usage:", "laxscan", "random", "init", "Examples:", "laxscan random split --seed 0" })
        {
            Assert.Contains(word, run.Stdout, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("split", "--num <N>", "[default: 2]")]
    [InlineData("fold-in", "--data <D>", "Required")]
    [InlineData("bits", "--width <8|16|32|64>", "[default: 32]")]
    [InlineData("uniform", "--maxval <B>", "[default: 1]")]
    [InlineData("normal", "--shape <d1,d2,...>", "[default: ()]")]
    [InlineData("truncated-normal", "--lower <L>", "[default: -2]")]
    public void Random_command_help_lists_options_defaults_and_examples(string command, string option, string detail)
    {
        CliRun run = Run("random", command, "--help");
        Assert.Equal(0, run.ExitCode);
        foreach (string word in new[] { option, detail, "--seed <S>", "--key <K0,K1>", "--threefry <partitionable|original>", "[default: partitionable]", "--out <FILE.npy>", "Examples:", $"laxscan random {command} " })
        {
            Assert.Contains(word, run.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Init_help_lists_names_options_and_examples()
    {
        CliRun run = Run("init", "-h");
        Assert.Equal(0, run.ExitCode);
        foreach (string word in new[] { "lecun_normal", "variance_scaling", "--mode <fan_in|fan_out|fan_avg|fan_geo_avg>", "--distribution <truncated_normal|normal|uniform>", "--in-axis <I>", "[default: -2]", "Examples:" })
        {
            Assert.Contains(word, run.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Help_wins_over_errors_elsewhere_on_the_line()
    {
        CliRun run = Run("random", "split", "--seed", "x", "--help");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("--num", run.Stdout, StringComparison.Ordinal);
    }
}
