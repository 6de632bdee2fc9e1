using System.Text.Json;
using LaxScan.Io;
using LaxScan.Linen;
using LaxScan.Linen.Recurrent;
using LaxScan.Linen.Transforms;
using LaxScan.Models;
using LaxScan.Nn;
using LaxScan.Random;

namespace LaxScan.Verification;

/// <summary>
/// <c>rnn</c>: Flax's recurrent family (reference/jax/kinds/rnn.py). Case fields: <c>model</c> (<c>rnn</c>,
/// <c>bidirectional</c>, <c>scan_cell</c>, <c>seed_scan</c>), <c>cell</c>, <c>hidden</c>, <c>xshape</c>, <c>x</c>,
/// <c>seed</c>, <c>steps</c> (seed_scan), <c>recurrent_init</c> (<c>lecun_normal</c>: LaxScan's init is compared through
/// <c>msgpack_hex</c> and applied; <c>orthogonal</c>: JAX's params, read from <c>msgpack_hex</c>, are applied),
/// <c>rows</c>, <c>options</c>. Result fields compared: <c>out</c>, <c>carry_c</c>/<c>carry_h</c> (or
/// <c>carry_forward_*</c>/<c>carry_backward_*</c>), <c>msgpack_hex</c>.
/// </summary>
internal sealed class RnnCaseHandler : ICaseHandler
{
    public string Kind => "rnn";

    public void Check(CaseCheck check)
    {
        BundleCase c = check.Case;
        var linen = new LinenOptions(ThreefryMode.Partitionable) { JaxVersion = check.Version };
        var x = new NDArray<float>(new Shape(c.Shape("xshape")), c.Floats("x"));
        PrngKey key = c.Key();
        bool exact = c.String("recurrent_init") == "lecun_normal";
        string model = c.String("model");
        if (model == "seed_scan")
        {
            var seed = new LaxScanScanModule(c.Int32("hidden"), c.Int64("steps"));
            Variables v = seed.Init(key, x, linen, check.CancellationToken);
            check.HexBytes("msgpack_hex", FlaxSerialization.ToBytes(v));
            check.Float32("out", seed.Apply(v, x, linen, check.CancellationToken));
            return;
        }

        JsonElement options = c.Get("options");
        string Where(string name) => $"case '{c.Id}' ({c.Kind}) field \"options.{name}\"";
        if (options.ValueKind != JsonValueKind.Object)
        {
            throw new ReferenceBundleException($"case '{c.Id}' ({c.Kind}) field \"options\" is not an object");
        }

        bool Flag(string name) => !options.TryGetProperty(name, out JsonElement v) || v.ValueKind is JsonValueKind.Null or JsonValueKind.False
            ? false
            : v.ValueKind == JsonValueKind.True ? true : throw new ReferenceBundleException($"{Where(name)} is not true or false");
        RecurrentCell Cell() => CreateCell(c.String("cell"), c.Int32("hidden"), exact ? Initializers.LecunNormal() : Initializers.Orthogonal());
        Variables Params(Func<Variables> init)
        {
            if (!exact)
            {
                return FlaxSerialization.FromBytes(Convert.FromHexString(check.Truth.String("msgpack_hex")));
            }

            Variables made = init();
            check.HexBytes("msgpack_hex", FlaxSerialization.ToBytes(made));
            return made;
        }

        if (model == "scan_cell")
        {
            RecurrentCell cell = Cell();
            ScanModule<RnnCarry> scan = LinenTransforms.Scan(cell, ScanOptions.Default with { InAxes = 1, OutAxes = 1 });
            RnnCarry init = cell.InitializeCarry(PrngKey.FromSeed(0), new Shape(x.Shape[0], x.Shape[2]), linen.ThreefryMode);
            Variables v = Params(() => scan.Init(key, (init, x), linen, check.CancellationToken));
            (RnnCarry carry, NDArray<float>? ys) = scan.Apply(v, (init, x), linen, check.CancellationToken);
            check.Float32("out", ys!);
            CompareCarry(check, "carry", carry);
            return;
        }

        var input = new RnnInput(x)
        {
            ReturnCarry = Flag("return_carry"),
            Reverse = Flag("reverse"),
            KeepOrder = Flag("keep_order"),
            TimeMajor = Flag("time_major"),
            SeqLengths = options.TryGetProperty("seq_lengths", out JsonElement l) && l.ValueKind != JsonValueKind.Null ? BundleJson.Int64Array(l, () => Where("seq_lengths")) : null,
        };
        if (model == "bidirectional")
        {
            var bi = new Bidirectional(new Rnn(Cell()), new Rnn(Cell()));
            Variables v = Params(() => bi.Init(key, x, linen, check.CancellationToken));
            BidirectionalOutput o = bi.Apply(v, input, linen, check.CancellationToken);
            check.Float32("out", o.Outputs);
            CompareCarry(check, "carry_forward", o.ForwardCarry);
            CompareCarry(check, "carry_backward", o.BackwardCarry);
            return;
        }

        int unroll = options.TryGetProperty("unroll", out JsonElement u) && u.ValueKind != JsonValueKind.Null ? BundleJson.Int32(u, () => Where("unroll")) : 1;
        var rnn = new Rnn(Cell()) { Unroll = unroll };
        Variables vars = Params(() => rnn.Init(key, c.Flag("rows") ? Row(x) : x, linen, check.CancellationToken));
        RnnOutput output = rnn.Apply(vars, input, linen, check.CancellationToken);
        check.Float32("out", output.Outputs);
        CompareCarry(check, "carry", output.Carry);
    }

    internal static RecurrentCell CreateCell(string kind, int hidden, Initializer recurrent) => kind switch
    {
        "simple" => new SimpleCell(hidden) { RecurrentKernelInit = recurrent },
        "simple_residual" => new SimpleCell(hidden) { RecurrentKernelInit = recurrent, Residual = true },
        "gru" => new GruCell(hidden) { RecurrentKernelInit = recurrent },
        "mgu" => new MguCell(hidden) { RecurrentKernelInit = recurrent },
        "mgu_no_reset" => new MguCell(hidden) { RecurrentKernelInit = recurrent, ResetGate = false },
        "lstm" => new LstmCell(hidden) { RecurrentKernelInit = recurrent },
        "optimized_lstm" => new OptimizedLstmCell(hidden) { RecurrentKernelInit = recurrent },
        _ => throw new NotSupportedException($"cell '{kind}' is not one LaxScan has"),
    };

    private static void CompareCarry(CaseCheck check, string prefix, RnnCarry? carry)
    {
        if (carry is null)
        {
            return;
        }

        if (carry.Count == 2 && check.Truth.Has(prefix + "_c"))
        {
            check.Float32(prefix + "_c", carry[0]);
        }

        if (check.Truth.Has(prefix + "_h"))
        {
            check.Float32(prefix + "_h", carry.H);
        }
    }

    private static NDArray<float> Row(NDArray<float> x) =>
        new(new Shape(x.Shape.Dimensions[1..]), x.Span[..(x.Length / x.Shape[0])].ToArray());
}
