using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using CsCheck;
using LaxScan.Io;
using static LaxScan.Tests.Io.NpyTestFiles;

namespace LaxScan.Tests.Io;

/// <summary>
/// Damaged and invented .npy files: the reader returns exactly the array the bytes hold, or throws
/// <see cref="NpyFormatException"/>; never another exception, never a hang, never a large allocation.
/// </summary>
/// <remarks>
/// CsCheck's generators make the mutations, but they are drawn from one fixed <see cref="PCG"/> seed in a plain loop
/// rather than through <c>Check.Sample</c>, whose later iterations are random: CI must see the same cases every run.
/// A failure names the case number; rerunning the test replays it.
/// </remarks>
public class NpyFuzzTests(ITestOutputHelper output)
{
    private const int Cases = 150_000;
    private const ulong Seed = 20_251_124;

    private enum Op { FlipBit, SetByte, Insert, Delete, Truncate, Append, NewHeader, SetLengthField, SetVersion }

    private sealed record Mutation(Op Op, double At, int Count, byte[] Bytes, string Header, bool FitBody)
    {
        public override string ToString() => Op switch
        {
            Op.NewHeader => $"NewHeader({Header}, fit body: {FitBody})",
            _ => $"{Op}(at {At:0.000}, count {Count}, bytes [{Convert.ToHexString(Bytes)}])",
        };
    }

    private static readonly string[] Bases =
    [
        "f4_scalar.npy", "f4_0.npy", "f4_3.npy", "f4_2x3.npy", "f4_1x0x5.npy", "f4_special.npy", "f4_2x3x4.npy",
        "f4_2x3_v2.npy", "f4_2x3_v3.npy", "f4_2x3_align16.npy", "u4_2x2.npy", "u1_5.npy", "u2_3.npy", "u8_2.npy",
        "f4_big_endian.npy", "f8_3.npy", "f4_fortran_2x3.npy", "f4_12345678901x0.npy",
    ];

    private static readonly Gen<string> Dimension = Gen.Frequency(
        (8, Gen.Int[0, 6].Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        (2, Gen.OneOf<string>("2147483647", "65536", "1000000")),
        (1, Gen.OneOf<string>("-1", "-0", "2147483647", "2147483648", "99999999999999999999", "007", "True", "1.5", "", " ", "3L")));

    private static readonly Gen<string> ShapeText = Gen.Select(Dimension.Array[0, 4], Gen.Int[0, 5], (dims, style) => style switch
    {
        0 => "[" + string.Join(", ", dims) + "]",
        1 => "(" + string.Join(",", dims) + ",)",
        2 => dims.Length == 1 ? "(" + dims[0] + ")" : "(" + string.Join(", ", dims) + ")",
        _ => Shape.Format([.. dims.Select(d => int.TryParse(d, out int v) ? v : 1)]),
    });

    private static readonly Gen<string> DescrText = Gen.OneOf<string>(
        "'<f4'", "'<f4'", "'<u4'", "'|u1'", "'<u1'", "'<u2'", "'<u8'", "\"<f4\"", "'>f4'", "'<f8'", "'<i4'", "'f4'", "''", "5", "[('a', '<f4')]", "'<f4", "True");

    private static readonly Gen<string> BoolText = Gen.OneOf<string>("False", "False", "False", "True", "false", "0", "'False'", "Fals");

    private static readonly Gen<string> AnyValue = Gen.OneOf(DescrText, BoolText, ShapeText, Gen.OneOf<string>("None", "{}", "()", "'", "\\", "\u00e9"));

    private static readonly Gen<string> Key = Gen.OneOf<string>("'descr'", "'fortran_order'", "'shape'", "\"shape\"", "'x'", "''", "descr", "'descr");

    /// <summary>Headers in three flavours: numpy's own shape with random values (often readable), right keys in any order, and loose entries.</summary>
    private static readonly Gen<string> HeaderText = Gen.Frequency(
        (4, Gen.Select(DescrText, BoolText, ShapeText, (d, f, s) => $"{{'descr': {d}, 'fortran_order': {f}, 'shape': {s}, }}")),
        (2, Gen.Select(Gen.Shuffle(new[] { "'descr': ", "'fortran_order': ", "'shape': " }), DescrText, BoolText, ShapeText, Gen.OneOf<string>(",", ", ", " , ", ",\t"), Gen.Bool,
            (keys, d, f, s, sep, trailing) =>
                "{" + string.Join(sep, keys.Select(k => k + (k.Contains("descr") ? d : k.Contains("fortran") ? f : s))) + (trailing ? "," : "") + "}")),
        (1, Gen.Select(Key, AnyValue, (k, v) => k + ": " + v).Array[0, 5].Select(entries => "{" + string.Join(", ", entries) + "}")),
        (1, Gen.String[0, 40]));

    private static readonly Gen<Mutation> OneMutation = Gen.Select(
        Gen.Frequency((3, Gen.Const(Op.FlipBit)), (2, Gen.Const(Op.SetByte)), (1, Gen.Const(Op.Insert)), (1, Gen.Const(Op.Delete)),
            (1, Gen.Const(Op.Truncate)), (1, Gen.Const(Op.Append)), (3, Gen.Const(Op.NewHeader)), (1, Gen.Const(Op.SetLengthField)), (1, Gen.Const(Op.SetVersion))),
        Gen.Int[0, 999_999].Select(i => i / 1e6), Gen.Int[1, 8], Gen.Byte.Array[0, 12], HeaderText, Gen.Bool,
        (op, at, count, bytes, header, fit) => new Mutation(op, at, count, bytes, header, fit));

    private static readonly Gen<(int Base, Mutation[] Mutations)> FuzzCase = Gen.Select(Gen.Int[0, Bases.Length - 1], OneMutation.Array[1, 3]);

    [Fact]
    public async Task Mutated_files_read_correctly_or_fail_with_NpyFormatException()
    {
        byte[][] bases = [.. Bases.Select(Fixture)];
        var outcomes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();

        // On a worker thread so that a reader stuck in a loop fails the test instead of stalling the run.
        var run = Task.Run(() =>
        {
            var pcg = new PCG(1, Seed);
            for (int i = 0; i < Cases; i++)
            {
                (int b, Mutation[] mutations) = FuzzCase.Generate(pcg, null!, out _);
                byte[] file = bases[b];
                string outcome;
                try
                {
                    // Inside the try: applying a NewHeader mutation already runs the header reader.
                    foreach (Mutation m in mutations)
                    {
                        file = Apply(file, m);
                    }

                    outcome = Check(file);
                }
                catch (Exception e)
                {
                    throw new Xunit.Sdk.XunitException(
                        $"case {i} (seed {Seed}): {Bases[b]} with {string.Join("; ", mutations.AsEnumerable())}: {e.GetType().Name}: {e.Message}\nfile: {Convert.ToHexString(file)}");
                }

                outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            }
        });
        try
        {
            await run.WaitAsync(TimeSpan.FromSeconds(120));
        }
        catch (TimeoutException)
        {
            Assert.Fail("the fuzz run did not finish in 120 s: a read hangs or is pathologically slow");
        }

        output.WriteLine($"{Cases} cases in {clock.Elapsed.TotalSeconds:0.0} s: {string.Join(", ", outcomes.Select(kv => $"{kv.Key} {kv.Value}"))}");
        Assert.True(outcomes.GetValueOrDefault("read") > Cases / 50, "too few mutated files were readable for the success check to mean anything");
    }

    /// <summary>Reads the bytes three ways and checks they agree; returns "read" or the error kind.</summary>
    private static string Check(byte[] file)
    {
        INDArray? seekable = null, piped = null;
        NpyFormatException? seekError = null, pipeError = null;
        try
        {
            seekable = NpyReader.Read(new MemoryStream(file, writable: false), "fuzz");
        }
        catch (NpyFormatException e)
        {
            seekError = e;
        }

        try
        {
            piped = NpyReader.Read(new TrickleStream(file, maxRead: 13), "fuzz");
        }
        catch (NpyFormatException e)
        {
            pipeError = e;
        }

        try
        {
            NDArray<float> f = NpyReader.ReadFloat32(new MemoryStream(file, writable: false));
            Assert.Equal(DType.Float32, seekable?.DType);
            Assert.Equal(Bytes(seekable!), MemoryMarshal.AsBytes(f.Span).ToArray());
        }
        catch (NpyFormatException e)
        {
            Assert.True(seekError is not null || (e.Kind == NpyErrorKind.DTypeMismatch && seekable is not null), $"ReadFloat32 failed ({e.Message}) where Read did not");
        }

        Assert.Equal(seekError is null, pipeError is null);
        if (seekable is null)
        {
            Assert.NotEmpty(seekError!.Message);
            return seekError.Kind.ToString();
        }

        // Readable: the array must be exactly the header's shape over exactly the rest of the file.
        NpyHeader header = NpyReader.ReadHeader(new MemoryStream(file, writable: false));
        Assert.Equal(header.Shape, seekable.Shape);
        Assert.Equal(header.DType, seekable.DType);
        Assert.Equal(file.Length, header.DataOffset + header.DataLength);
        Assert.Equal(file[(int)header.DataOffset..], Bytes(seekable));
        Assert.Equal(Bytes(seekable), Bytes(piped!));
        Assert.Equal(seekable.Shape, piped!.Shape);
        return "read";
    }

    private static byte[] Bytes(INDArray a) => a switch
    {
        NDArray<float> x => MemoryMarshal.AsBytes(x.Span).ToArray(),
        NDArray<byte> x => x.Data,
        NDArray<ushort> x => MemoryMarshal.AsBytes(x.Span).ToArray(),
        NDArray<uint> x => MemoryMarshal.AsBytes(x.Span).ToArray(),
        NDArray<ulong> x => MemoryMarshal.AsBytes(x.Span).ToArray(),
        _ => throw new ArgumentException(a.ToString()),
    };

    private static byte[] Apply(byte[] file, Mutation m)
    {
        int at = (int)(m.At * file.Length);
        switch (m.Op)
        {
            case Op.FlipBit when file.Length > 0:
                file = (byte[])file.Clone();
                file[Math.Min(at, file.Length - 1)] ^= (byte)(1 << (m.Count - 1));
                return file;
            case Op.SetByte when file.Length > 0 && m.Bytes.Length > 0:
                file = (byte[])file.Clone();
                file[Math.Min(at, file.Length - 1)] = m.Bytes[0];
                return file;
            case Op.Insert:
                return [.. file.AsSpan(0, at), .. m.Bytes, .. file.AsSpan(at)];
            case Op.Delete:
                return [.. file.AsSpan(0, at), .. file.AsSpan(Math.Min(file.Length, at + m.Count))];
            case Op.Truncate:
                return file[..at];
            case Op.Append:
                return [.. file, .. m.Bytes];
            case Op.NewHeader:
                return WithHeader(file, m.Header, m.FitBody);
            case Op.SetLengthField when file.Length >= 12:
                file = (byte[])file.Clone();
                int length = m.Bytes.Length > 0 ? m.Bytes[0] * m.Count * 16 : (int)(m.At * uint.MaxValue);
                if (file[6] == 1)
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(8), (ushort)length);
                }
                else
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(8), (uint)length);
                }

                return file;
            case Op.SetVersion when file.Length >= 8:
                file = (byte[])file.Clone();
                file[6] = (byte)(m.Count % 5);
                file[7] = (byte)(m.Bytes.Length > 0 && m.Bytes[0] < 32 ? 1 : 0);
                return file;
            default:
                return file;
        }
    }

    /// <summary>Replaces the header with a new one, framed correctly, keeping the old data or (when the header is valid enough to say) data of the length it announces.</summary>
    private static byte[] WithHeader(byte[] file, string dict, bool fitBody)
    {
        byte[] body = [];
        if (file.Length >= 10 && file.AsSpan(0, 6).SequenceEqual(Magic))
        {
            int prefix = file[6] == 1 ? 10 : 12;
            long headerLength = file.Length >= prefix ? (file[6] == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(8)) : BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(8))) : 0;
            body = prefix + headerLength <= file.Length ? file[(int)(prefix + headerLength)..] : [];
        }

        byte major = Encoding.UTF8.GetByteCount(dict) == dict.Length ? (byte)1 : (byte)3;
        byte[] rebuilt = Build(dict, body, major);
        if (fitBody)
        {
            try
            {
                NpyHeader h = NpyReader.ReadHeader(new MemoryStream(rebuilt));
                if (h.DataLength <= 1 << 16)
                {
                    var data = new byte[h.DataLength];
                    for (int i = 0; i < data.Length; i++)
                    {
                        data[i] = (byte)(i * 37);
                    }

                    return Build(dict, data, major);
                }
            }
            catch (NpyFormatException)
            {
            }
        }

        return rebuilt;
    }
}
