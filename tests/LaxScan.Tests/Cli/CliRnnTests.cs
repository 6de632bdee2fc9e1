using System.Text.Json;
using LaxScan.Cli;
using LaxScan.Io;
using LaxScan.Linen;
using LaxScan.Linen.Recurrent;
using LaxScan.Models;
using LaxScan.Nn;
using LaxScan.Random;
using static LaxScan.Tests.Cli.CliHarness;

namespace LaxScan.Tests.Cli;

/// <summary><c>laxscan rnn</c> and <c>laxscan rnn init</c>: the library's RNN through the command line's contract.</summary>
public class CliRnnTests
{
    private static NDArray<float> WriteSequence(TempDirectory dir, string name, params int[] shape)
    {
        NDArray<float> x = JaxRandom.Normal(PrngKey.FromSeed(shape.Sum()), new Shape(shape));
        NpyWriter.Write(dir[name], x);
        return x;
    }

    [Fact]
    public void Rnn_init_prints_and_writes_Flaxs_params_and_warns_that_orthogonal_kernels_are_not_JAXs_bits()
    {
        using var dir = new TempDirectory();
        CliRun run = Run("rnn", "init", "--cell", "lstm", "--hidden", "3", "--features", "2", "--seed", "4", "--out", dir["v.msgpack"]);
        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("warning: params/cell/hi/kernel, params/cell/hf/kernel, params/cell/hg/kernel, params/cell/ho/kernel were drawn with orthogonal()", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("error", run.Stderr, StringComparison.Ordinal);

        Variables expected = new RecurrentModel(RecurrentCellKind.Lstm, 3).Init(PrngKey.FromSeed(4), 2).Variables;
        Assert.Equal(FlaxSerialization.ToBytes(expected), File.ReadAllBytes(dir["v.msgpack"]));
        JsonElement json = JsonDocument.Parse(run.Stdout).RootElement;
        Assert.Equal(["hf", "hg", "hi", "ho", "if", "ig", "ii", "io"], json.GetProperty("params").GetProperty("cell").EnumerateObject().Select(p => p.Name));
        AssertSameArray(expected.GetFloat32("params", "cell", "ii", "kernel"), json.GetProperty("params").GetProperty("cell").GetProperty("ii").GetProperty("kernel"));
    }

    [Fact]
    public void Rnn_init_with_a_bit_exact_recurrent_initializer_warns_nothing()
    {
        CliRun run = Run("rnn", "init", "--cell", "gru", "--hidden", "2", "--features", "3", "--recurrent-kernel-init", "lecun_normal", "--bidirectional");
        JsonElement json = run.Json;
        Assert.Equal(["forward_rnn", "backward_rnn"], json.GetProperty("params").EnumerateObject().Select(p => p.Name));
        Variables expected = new RecurrentModel(RecurrentCellKind.Gru, 2) { Bidirectional = true, RecurrentKernelInit = Initializers.LecunNormal() }.Init(PrngKey.FromSeed(0), 3).Variables;
        AssertSameArray(expected.GetFloat32("params", "backward_rnn", "cell", "hz", "kernel"), json.GetProperty("params").GetProperty("backward_rnn").GetProperty("cell").GetProperty("hz").GetProperty("kernel"));
    }

    [Theory]
    [InlineData("simple")]
    [InlineData("gru")]
    [InlineData("mgu")]
    [InlineData("lstm")]
    [InlineData("optimized-lstm")]
    public void Rnn_applies_a_checkpoint_with_the_librarys_bits(string cell)
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, Run("rnn", "init", "--cell", cell, "--hidden", "5", "--features", "3", "--out", dir["v.msgpack"]).ExitCode);
        NDArray<float> x = WriteSequence(dir, "x.npy", 7, 3);
        CliRun run = Run("rnn", "--cell", cell, "--hidden", "5", "--params", dir["v.msgpack"], "--x-file", dir["x.npy"], "--out", dir["y.npy"]);
        RecurrentCellKind kind = cell switch
        {
            "simple" => RecurrentCellKind.Simple,
            "gru" => RecurrentCellKind.Gru,
            "mgu" => RecurrentCellKind.Mgu,
            "lstm" => RecurrentCellKind.Lstm,
            _ => RecurrentCellKind.OptimizedLstm,
        };
        NDArray<float> expected = new RecurrentModel(kind, 5).Apply(FlaxSerialization.ReadFile(dir["v.msgpack"]), x).Outputs;
        AssertSameArray(expected, run.Json);
        Bits.Equal(expected.Span, NpyReader.ReadFloat32(dir["y.npy"]).Span);
    }

    [Fact]
    public void Rnn_gives_the_same_bits_at_one_two_and_automatic_threads()
    {
        // H = 136: the LSTM's recurrent dot is one (136, 544) GEMV, large enough for --threads 0 to split it, and a batch
        // of two rows with --return-carry, so every output and both carry parts are compared.
        using var dir = new TempDirectory();
        Assert.Equal(0, Run("rnn", "init", "--cell", "lstm", "--hidden", "136", "--features", "3", "--recurrent-kernel-init", "lecun_normal", "--out", dir["v.msgpack"]).ExitCode);
        NDArray<float> x = WriteSequence(dir, "x.npy", 2, 6, 3);
        var model = new RecurrentModel(RecurrentCellKind.Lstm, 136) { Threads = 1 };
        RecurrentResult expected = model.Apply(FlaxSerialization.ReadFile(dir["v.msgpack"]), new RnnInput(x) { ReturnCarry = true });
        string? first = null;
        foreach (string threads in (string[])["1", "2", "0"])
        {
            string y = dir["y.npy"];
            CliRun run = Run("rnn", "--cell", "lstm", "--hidden", "136", "--params", dir["v.msgpack"], "--x-file", dir["x.npy"], "--return-carry", "--threads", threads, "--out", y);
            Assert.Equal(0, run.ExitCode);
            Bits.Equal(expected.Outputs.Span, NpyReader.ReadFloat32(y).Span, $"--threads {threads} outputs");
            AssertSameArray(expected.Carries![0].Carry[0], run.Json.GetProperty("carry").GetProperty("c"));
            AssertSameArray(expected.Carries![0].Carry.H, run.Json.GetProperty("carry").GetProperty("h"));
            first ??= run.Stdout;
            Assert.Equal(first, run.Stdout);
        }
    }

    [Fact]
    public void Return_carry_prints_outputs_and_the_carry_and_the_trace_holds_every_steps_carry()
    {
        using var dir = new TempDirectory();
        Run("rnn", "init", "--cell", "lstm", "--hidden", "4", "--features", "2", "--bidirectional", "--out", dir["v.msgpack"]);
        NDArray<float> x = WriteSequence(dir, "x.npy", 2, 6, 2);
        CliRun run = Run("rnn", "--cell", "lstm", "--hidden", "4", "--params", dir["v.msgpack"], "--x-file", dir["x.npy"], "--bidirectional", "--return-carry", "--seq-lengths", "6,3", "--trace", dir["t.npy"]);
        JsonElement json = run.Json;
        var model = new RecurrentModel(RecurrentCellKind.Lstm, 4) { Bidirectional = true };
        RecurrentResult expected = model.Apply(FlaxSerialization.ReadFile(dir["v.msgpack"]), new RnnInput(x) { ReturnCarry = true, SeqLengths = [6, 3] });
        AssertSameArray(expected.Outputs, json.GetProperty("outputs"));
        AssertSameArray(expected.Carries![1].Carry[0], json.GetProperty("carry").GetProperty("backward").GetProperty("c"));
        AssertSameArray(expected.Carries![0].Carry.H, json.GetProperty("carry").GetProperty("forward").GetProperty("h"));

        NDArray<float> trace = NpyReader.ReadFloat32(dir["t.npy"]);
        Assert.Equal(new Shape(2, 2, 6, 2, 4), trace.Shape);
        // The forward RNN's first row, last step: its (c, h), which with length 6 is the forward carry of row 0.
        Bits.Equal(expected.Carries[0].Carry[0].Span[..4], trace.Span.Slice(5 * 8, 4));
        Bits.Equal(expected.Carries[0].Carry.H.Span[..4], trace.Span.Slice((5 * 8) + 4, 4));
    }

    [Fact]
    public void Bad_command_lines_are_usage_errors_and_bad_inputs_failures_with_one_line()
    {
        using var dir = new TempDirectory();
        Run("rnn", "init", "--cell", "gru", "--hidden", "3", "--features", "2", "--out", dir["v.msgpack"]);
        WriteSequence(dir, "x.npy", 4, 2);
        WriteSequence(dir, "v1.npy", 4);
        string[] common = ["rnn", "--hidden", "3", "--params", dir["v.msgpack"], "--x-file", dir["x.npy"]];
        AssertFails(Run([.. common, "--cell", "rnn"]), ExitCodes.Usage);
        AssertFails(Run("rnn", "--cell", "gru", "--hidden", "3", "--x-file", dir["x.npy"]), ExitCodes.Usage);
        Assert.Contains("--keep-order only changes a reversed run", AssertFails(Run([.. common, "--cell", "gru", "--keep-order"]), ExitCodes.Usage), StringComparison.Ordinal);
        Assert.Contains("--residual is an option of the simple cell", AssertFails(Run([.. common, "--cell", "gru", "--residual"]), ExitCodes.Usage), StringComparison.Ordinal);
        AssertFails(Run([.. common, "--cell", "gru", "--seq-lengths", "2,x"]), ExitCodes.Usage);
        AssertFails(Run("rnn", "init", "--cell", "gru", "--hidden", "3", "--features", "2", "--out", dir["v.npy"]), ExitCodes.Usage);
        AssertFails(Run("rnn", "init", "--cell", "gru", "--hidden", "3", "--features", "2", "--recurrent-kernel-init", "qr"), ExitCodes.Usage);

        Assert.Contains("Could not find parameter named \"kernel\" in scope \"/cell/ii\"", AssertFails(Run([.. common, "--cell", "lstm"]), ExitCodes.Failure), StringComparison.Ordinal);
        Assert.Contains("ScopeParamShapeError", AssertFails(Run("rnn", "--cell", "gru", "--hidden", "4", "--params", dir["v.msgpack"], "--x-file", dir["x.npy"]), ExitCodes.Failure), StringComparison.Ordinal);
        Assert.Contains("needs a sequence", AssertFails(Run("rnn", "--cell", "gru", "--hidden", "3", "--params", dir["v.msgpack"], "--x-file", dir["v1.npy"]), ExitCodes.Failure), StringComparison.Ordinal);
        Assert.Contains("seq_lengths has 2 value(s)", AssertFails(Run([.. common, "--cell", "gru", "--seq-lengths", "1,2"]), ExitCodes.Failure), StringComparison.Ordinal);
        AssertFails(Run([.. common, "--cell", "gru", "--out", dir["missing/y.npy"]]), ExitCodes.Failure);
        Assert.DoesNotContain("y.npy", dir.Files());
    }
}
