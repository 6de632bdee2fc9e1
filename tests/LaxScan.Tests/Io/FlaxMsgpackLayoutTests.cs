using System.Text.Json;
using LaxScan.Io;
using LaxScan.Kernels;
using LaxScan.Linen;
using LaxScan.Models;
using LaxScan.Random;
using static LaxScan.Tests.Io.FlaxMsgpackTestData;

namespace LaxScan.Tests.Io;

/// <summary>
/// LaxScan against checkpoints that this project's script wrote in Flax's layout (ScriptMadeCheckpoints/make_fixtures.py,
/// flax_layout.py written from flax/serialization.py's description; not files Flax made): it reads each exactly, and
/// writes the same variables back to the same bytes. Real <c>to_bytes</c> output comes with a JAX bundle
/// (the <c>msgpack_hex</c> of reference/jax's mission cases), which <c>laxscan verify</c> compares byte for byte.
/// </summary>
public sealed class FlaxMsgpackLayoutTests
{
    public static TheoryData<string> Readable() =>
        [.. FixtureNames().Where(n => !Expected(n).TryGetProperty("reject", out _))];

    public static TheoryData<string> RoundTrip() =>
        [.. FixtureNames().Where(n => Expected(n).GetProperty("roundtrip").GetBoolean())];

    public static TheoryData<string> Rejected() =>
        [.. FixtureNames().Where(n => Expected(n).TryGetProperty("reject", out _))];

    [Theory]
    [MemberData(nameof(Readable))]
    public void Reads_every_leaf_of_a_script_made_checkpoint_bit_for_bit_in_order(string name)
    {
        Variables variables = FlaxSerialization.FromBytes(Fixture(name));

        JsonElement[] expected = [.. Expected(name).GetProperty("leaves").EnumerateArray()];
        VariableLeaf[] actual = [.. variables.Leaves()];
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            JsonElement e = expected[i];
            Assert.Equal(e.GetProperty("path").EnumerateArray().Select(p => p.GetString()!), actual[i].Path);
            Assert.Equal(e.GetProperty("dtype").GetString(), actual[i].Value.DType.Name());
            Assert.Equal(e.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()), actual[i].Value.Shape.Dimensions.ToArray());
            Assert.Equal(Convert.FromBase64String(e.GetProperty("data").GetString()!), RawBytes(actual[i].Value));
        }
    }

    [Theory]
    [MemberData(nameof(RoundTrip))]
    public void Writes_the_same_bytes_as_flax_s_to_bytes(string name)
    {
        byte[] file = Fixture(name);
        long chunk = Expected(name).TryGetProperty("max_chunk_size", out JsonElement c) ? c.GetInt64() : FlaxMsgpackWriter.MaxChunkSize;

        byte[] written = FlaxMsgpackWriter.Write(FlaxSerialization.FromBytes(file), chunk);

        Assert.Equal(Convert.ToHexString(file), Convert.ToHexString(written));
    }

    [Fact]
    public void Variables_built_in_dotnet_encode_to_the_python_bytes()
    {
        // Built from expected.json's numbers, not from a read, so the writer is checked on its own.
        JsonElement w = Expected("w4x4").GetProperty("leaves")[0];
        float[] data = Bytes(w).Chunk(4).Select(b => BitConverter.ToSingle(b)).ToArray();
        Variables variables = Variables.Empty.With("params", Variables.Empty.With("W", new NDArray<float>(new Shape(4, 4), data)));

        Assert.Equal(Fixture("w4x4"), FlaxSerialization.ToBytes(variables));
    }

    [Fact]
    public void Chunked_arrays_are_written_and_read_in_flax_s_chunked_form()
    {
        JsonElement[] leaves = [.. Expected("chunked").GetProperty("leaves").EnumerateArray()];
        var w = new NDArray<float>(new Shape(5, 7), Bytes(leaves[0]).Chunk(4).Select(b => BitConverter.ToSingle(b)).ToArray());
        var b = new NDArray<float>(new Shape(3), Bytes(leaves[1]).Chunk(4).Select(x => BitConverter.ToSingle(x)).ToArray());
        Variables variables = Variables.Empty.With("params", Variables.Empty.With("W", w).With("b", b));

        // 64-byte chunks: W (140 bytes) is chunked into 16 + 16 + 3 elements; b (12 bytes) is not.
        byte[] written = FlaxMsgpackWriter.Write(variables, 64);

        Assert.Equal(Fixture("chunked"), written);
        Assert.Equal(RawBytes(w), RawBytes(FlaxSerialization.FromBytes(written).GetFloat32("params", "W")));
    }

    [Fact]
    public void A_numpy_scalar_ext_3_reads_as_a_0_d_array_and_writes_back_as_flax_writes_a_0_d_jax_array()
    {
        Variables variables = FlaxSerialization.FromBytes(Fixture("npscalar"));

        NDArray<float> s = variables.GetFloat32("params", "s");
        Assert.Equal(0, s.Shape.Rank);
        Assert.Equal(1.5f, s.Data[0]);
        byte[] written = FlaxSerialization.ToBytes(variables);
        Assert.Equal(Fixture("npscalar")[..^18], written[..^18]);
        Assert.Equal(0xD8, written[^18]); // fixext 16, as the scalar's 16-byte payload takes
        Assert.Equal(1, written[^17]); // ext 1 (ndarray) where numpy's np.float32 gave ext 3
        Assert.Equal(Fixture("npscalar")[^16..], written[^16..]);
    }

    [Theory]
    [MemberData(nameof(Rejected))]
    public void Leaves_laxscan_cannot_hold_are_rejected_with_their_path_and_type(string name)
    {
        var e = Assert.Throws<FlaxCheckpointException>(() => FlaxSerialization.FromBytes(Fixture(name)));

        Assert.Contains(Expected(name).GetProperty("reject").GetString()!, e.Message, StringComparison.Ordinal);
        Assert.StartsWith("params/", e.Path, StringComparison.Ordinal);
        Assert.Contains($"under \"{e.Path}\"", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_float64_W_names_the_dtype_and_what_laxscan_expects()
    {
        var e = Assert.Throws<FlaxCheckpointException>(() => FlaxSerialization.FromBytes(Fixture("w_float64")));

        Assert.Equal("params/W", e.Path);
        Assert.Contains("a float64 array of shape (4, 4)", e.Message, StringComparison.Ordinal);
        Assert.Contains("W is float32", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_read_W_drives_the_recurrence_as_the_bytes_the_script_wrote()
    {
        // The expected run is built from expected.json's raw bytes of W (not from the reader) with the scalar reference
        // dot and tanh: a reader that transposed W, misplaced a chunk or lost the dtype would give other bits.
        JsonElement leaf = Expected("w4x4").GetProperty("leaves")[0];
        byte[] raw = Bytes(leaf);
        float[] w = [.. Enumerable.Range(0, 16).Select(i => BitConverter.ToSingle(raw, 4 * i))];
        float[] x = [0.1f, -0.2f, 0.3f, 0.4f];
        float[] h = new float[4];
        float[] next = new float[4];
        Gemv.Reference(x, w, h);
        for (int step = 0; step <= 3; step++)
        {
            if (step > 0)
            {
                Gemv.Reference(h, w, next);
                next.CopyTo(h, 0);
            }

            for (int i = 0; i < 4; i++)
            {
                h[i] = LaxScan.Numerics.XlaMath.Tanh(h[i]);
            }
        }

        NDArray<float> read = new LaxScanModule(4, 3).Apply(FlaxSerialization.FromBytes(Fixture("w4x4")), new NDArray<float>(new Shape(4), x));
        Bits.Equal(h, read.Span);
    }

    [Fact]
    public void Apply_raises_flax_s_errors_for_read_variables_that_do_not_fit()
    {
        var x5 = new NDArray<float>(new Shape(5));
        Variables w4 = FlaxSerialization.FromBytes(Fixture("w4x4"));
        Assert.Throws<ScopeParamShapeError>(() => new LaxScanModule(5, 1).Apply(w4, x5));

        Variables doubled = FlaxSerialization.FromBytes(FlaxSerialization.ToBytes(Variables.Empty.With("params", w4)));
        Assert.Throws<ApplyScopeInvalidVariablesStructureError>(() => new LaxScanModule(4, 1).Apply(doubled, new NDArray<float>(new Shape(4))));

        Variables noParams = FlaxSerialization.FromBytes(FlaxSerialization.ToBytes(Variables.Empty.With("batch_stats", w4.GetDict("params"))));
        Exception? missing = Record.Exception(() => new LaxScanModule(4, 1).Apply(noParams, new NDArray<float>(new Shape(4))));
        Assert.True(missing is ScopeCollectionNotFoundError or ScopeParamNotFoundError, missing?.ToString());

        var u32 = new NDArray<uint>(new Shape(4, 4));
        Variables uintW = FlaxSerialization.FromBytes(FlaxSerialization.ToBytes(Variables.Empty.With("params", Variables.Empty.With("W", u32))));
        Assert.Throws<ScopeParamTypeError>(() => new LaxScanModule(4, 1).Apply(uintW, new NDArray<float>(new Shape(4))));
    }

    [Fact]
    public void Init_written_to_a_file_and_read_back_applies_bit_for_bit()
    {
        var module = new LaxScanModule(6, 5);
        var x = new NDArray<float>(new Shape(6), [0.5f, -1f, 0.25f, 2f, -0.125f, 1f]);
        Variables variables = module.Init(PrngKey.FromSeed(42), x);
        string dir = Directory.CreateTempSubdirectory("laxscan-flax-").FullName;
        try
        {
            string path = Path.Combine(dir, "variables.msgpack");
            File.WriteAllText(path, "an older file that the write replaces whole");

            FlaxSerialization.WriteFile(path, variables);

            Assert.Equal(["variables.msgpack"], Directory.GetFiles(dir).Select(Path.GetFileName));
            Assert.Equal(FlaxSerialization.ToBytes(variables), File.ReadAllBytes(path));
            Bits.Equal(module.Apply(variables, x).Span, module.Apply(FlaxSerialization.ReadFile(path), x).Span);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_failed_write_leaves_no_temporary_file_and_the_old_file_intact()
    {
        string dir = Directory.CreateTempSubdirectory("laxscan-flax-").FullName;
        try
        {
            string path = Path.Combine(dir, "variables.msgpack");
            File.WriteAllText(path, "old");
            Variables bad = Variables.Empty.With("params", Variables.Empty.With("\ud800", new NDArray<float>(new Shape(1))));

            Assert.Throws<ArgumentException>(() => FlaxSerialization.WriteFile(path, bad));

            Assert.Equal("old", File.ReadAllText(path));
            Assert.Single(Directory.GetFiles(dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Duplicate_keys_keep_the_first_position_and_the_last_value_as_a_python_dict_does()
    {
        byte[] one = Ext(1, Payload([1], "float32", BitConverter.GetBytes(1f)));
        byte[] two = Ext(1, Payload([1], "float32", BitConverter.GetBytes(2f)));
        byte[] file = [0x81, .. Str("params"), 0x83, .. Str("a"), .. one, .. Str("b"), .. one, .. Str("a"), .. two];

        Variables p = FlaxSerialization.FromBytes(file).GetDict("params");

        Assert.Equal(["a", "b"], p.Keys);
        Assert.Equal(2f, p.GetFloat32("a").Data[0]);
    }

    /// <summary>
    /// LaxScan's checkpoints decoded by Python: writes them, then runs ScriptMadeCheckpoints/check_laxscan_output.py
    /// (Debian's python3 with python3-msgpack and numpy), which checks every leaf against expected.json and re-encodes
    /// each to LaxScan's bytes. Skipped where that Python is missing.
    /// </summary>
    [Fact]
    public void Python_decodes_laxscan_s_checkpoints_to_the_fixture_values()
    {
        string python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        (int probe, string probeOutput) = RunPython(python, "-c", "import msgpack, numpy");
        Assert.SkipWhen(probe != 0, $"needs python3 with msgpack and numpy (Debian: python3-msgpack python3-numpy): {probeOutput.Trim()}");

        string dir = Path.Combine(Path.GetTempPath(), $"laxscan-flax-export-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            foreach (string name in FixtureNames().Where(n => Expected(n).GetProperty("roundtrip").GetBoolean()))
            {
                long chunk = Expected(name).TryGetProperty("max_chunk_size", out JsonElement c) ? c.GetInt64() : FlaxMsgpackWriter.MaxChunkSize;
                File.WriteAllBytes(Path.Combine(dir, name + ".msgpack"), FlaxMsgpackWriter.Write(FlaxSerialization.FromBytes(Fixture(name)), chunk));
            }

            var module = new LaxScanModule(4, 2);
            FlaxSerialization.WriteFile(Path.Combine(dir, "laxscan_init_h4.msgpack"), module.Init(PrngKey.FromSeed(0), new NDArray<float>(new Shape(4))));
            (int exitCode, string output) = RunPython(python, Path.Combine(FixtureDir(), "check_laxscan_output.py"), dir);
            Assert.True(exitCode == 0, output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static (int ExitCode, string Output) RunPython(string python, params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        try
        {
            using var process = System.Diagnostics.Process.Start(start)!;
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "python did not finish in 2 minutes");
            return (process.ExitCode, stdout.Result + stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }

    private static byte[] Bytes(JsonElement leaf) => Convert.FromBase64String(leaf.GetProperty("data").GetString()!);

    private static byte[] RawBytes(INDArray a) => a switch
    {
        NDArray<float> f => [.. f.Data.SelectMany(BitConverter.GetBytes)],
        NDArray<byte> b => b.Data,
        NDArray<ushort> u => [.. u.Data.SelectMany(BitConverter.GetBytes)],
        NDArray<uint> u => [.. u.Data.SelectMany(BitConverter.GetBytes)],
        NDArray<ulong> u => [.. u.Data.SelectMany(BitConverter.GetBytes)],
        _ => throw new NotSupportedException(),
    };
}
