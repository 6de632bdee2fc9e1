using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LaxScan.Io;
using LaxScan.Linen;
using LaxScan.Random;

namespace LaxScan.Tests.Verification;

/// <summary>
/// A small bundle in the harness's schema whose truth values are ones JAX, XLA and Random123 publish (each with its
/// source), or exact by hand arithmetic: the independent ground truth the verifier's own tests need while no real JAX
/// run exists. It is not a JAX run and says so in its provenance; it lives only in the tests' temporary folders.
/// </summary>
/// <remarks>
/// Printed floats are used only where the text pins the float32 exactly: numpy prints array elements with at most 8
/// fractional digits, so a text with fewer digits (or a Python float64 repr, or a hex pattern) is the float32's own
/// shortest form, and one with exactly 8 might be a rounding; those are left out.
/// </remarks>
internal sealed class PublishedBundle
{
    private readonly JsonArray _cases = [];
    private readonly JsonObject _results = [];

    public PublishedBundle()
    {
        // jax.random: keys and words (JaxRandomTests, JaxPublishedValuesTests; sources there).
        Add(Case("split_p", "random", ("fn", "split"), ("n", 2), ("mode", "partitionable"), ("seed", 0)), U32(1797259609, 2579123966, 928981903, 3453687069));
        Add(Case("split_o", "random", ("fn", "split"), ("n", 4), ("mode", "original"), ("seed", 0)), U32(2285895361, 1501764800, 1518642379, 4090693311, 433833334, 4221794875, 839183663, 3740430601));
        foreach (string mode in new[] { "partitionable", "original" })
        {
            Add(Case("fold4_" + mode[0], "random", ("fn", "fold_in"), ("data", 4), ("mode", mode), ("seed", 0)), U32(2285895361, 433833334));
        }

        Add(Case("bits_p", "random", ("fn", "bits"), ("width", 32), ("shape", Ints()), ("mode", "partitionable"), ("seed", 0)), U32(4070199207));
        Add(Case("bits1701_8", "random", ("fn", "bits"), ("width", 8), ("shape", Ints(3)), ("mode", "original"), ("seed", 1701)), U32(216, 115, 43));
        Add(Case("bits1701_16", "random", ("fn", "bits"), ("width", 16), ("shape", Ints(3)), ("mode", "original"), ("seed", 1701)), U32(41682, 1300, 55017));
        Add(Case("bits1701_32", "random", ("fn", "bits"), ("width", 32), ("shape", Ints(3)), ("mode", "original"), ("seed", 1701)), U32(56197195, 4200222568, 961309823));

        // jax/random.py module docstring (JAX >= 0.5): uniform(key(0)) prints 0.947667 (the split key's 0.00729382 and the
        // original mode's 0.41845703 have 8 fractional digits, numpy's cap, so they may be roundings and are left out).
        Add(Case("uniform_p", "random", ("fn", "uniform"), ("shape", Ints()), ("mode", "partitionable"), ("seed", 0)), F32([], "0.947667"));

        // JAX's "Pseudorandom numbers" tutorial: key = PRNGKey(12), three times key, subkey = split(key), normal(subkey),
        // printed as float64 reprs (exact). The subkeys are inputs here: a wrong split would miss the published draws.
        PrngKey key = PrngKey.FromSeed(12);
        string[] tutorial = ["0.735927939414978", "1.810187578201294", "0.11553369462490082"];
        for (int i = 0; i < tutorial.Length; i++)
        {
            PrngKey[] pair = key.Split(2, ThreefryMode.Original);
            key = pair[0];
            Add(Case($"normal_tutorial_{i}", "random", ("fn", "normal"), ("shape", Ints()), ("mode", "original"), ("key", Ints(pair[1].K0, pair[1].K1))), F32([], tutorial[i]));
        }

        // jax/_src/nn/initializers.py docstrings: initializer(jax.random.key(42), (2, 3), jnp.float32), original mode.
        Add(Case("init_uniform10", "init", ("name", "uniform"), ("kwargs", new JsonObject { ["scale"] = 10.0 }), ("shape", Ints(2, 3)), ("mode", "original"), ("seed", 42)),
            F32([2, 3], "7.298188", "8.691938", "8.7230015", "2.0818567", "1.8662417", "5.5022564"));
        Add(Case("init_tn5", "init", ("name", "truncated_normal"), ("kwargs", new JsonObject { ["stddev"] = 5.0 }), ("shape", Ints(2, 3)), ("mode", "original"), ("seed", 42)),
            F32([2, 3], "2.9047365", "5.2338114", "5.29852", "-3.836303", "-4.192359", "0.6022964"));

        // XLA's check values for its float32 functions (jax-parity.md section 4), eager and in a scan body alike.
        foreach ((string fn, string x, uint y) in new[] { ("erf_inv", "0.5", 0x3EF430FEu), ("log", "10", 0x40135D8Eu), ("log1p", "0.5", 0x3ECF991Fu), ("tanh", "0.5", 0x3EEC9A9Fu), ("erf", "1", 0x3F57BB3Eu) })
        {
            Add(Case("check_" + fn, "math", ("fn", fn), ("x", Words(Bits.OfText(x)))), new JsonObject { ["eager"] = Words(y), ["in_scan"] = Words(y) });
        }

        // By hand: W = I and x tiny (|x| < 0.0004, where tanh(x) rounds to x), so every state is x exactly.
        uint[] x3 = [Bits.Of(MathF.Pow(2, -12)), Bits.Of(-MathF.Pow(2, -13)), 0];
        uint[] identity = [.. Enumerable.Range(0, 9).Select(i => i % 4 == 0 ? Bits.Of(1f) : 0u)];
        // Every state too: tanh(x @ I) = x is state 0, and each of the T = 5 steps keeps it, so states is x six times.
        Add(Case("mission_identity", "mission", ("mode", "partitionable"), ("hidden", 3), ("T", 5), ("xshape", Ints(3)), ("x", Words(x3)), ("W", Words(identity))),
            new JsonObject { ["out"] = Pair([3], x3), ["states"] = Pair([6, 3], [.. Enumerable.Repeat(x3, 6).SelectMany(s => s)]) });

        // By hand: Dense without bias on small integers, exact in any order: [1, 1] @ [[1, 2], [3, 4]] = [4, 6].
        Add(Case("dense_ints", "dense", ("features", 2), ("x", Words(Bits.Of(1f), Bits.Of(1f))), ("kernel", Words(Bits.Of(1f), Bits.Of(2f), Bits.Of(3f), Bits.Of(4f))), ("where", "eager")),
            new JsonObject { ["out"] = Pair([2], [Bits.Of(4f), Bits.Of(6f)]) });

        // By hand: x @ W alone with H = 8 and x = +0 everywhere. The 8 outputs are one whole tile of XLA's GEMV, whose
        // accumulators start at +0; each product W[k, n] * +0 is +0 or -0 and +0 + (+-0) = +0 (round to nearest), so every
        // output is +0 whatever normal(PRNGKey(w_seed)) drew. (A -0 could only come from the scalar epilogue, which
        // N = 8 does not have.)
        Add(Case("dot_zero_x", "dot", ("hidden", 8), ("w_seed", 3), ("x", Words(new uint[8])), ("where", "scan")), new JsonObject { ["out"] = Pair([8], new uint[8]) });

        // Exact by definition, whatever the approximation: e^0 = 1, e^-inf = 0, e^inf = inf, sigmoid(0) = 1/2,
        // sigmoid(-inf) = 0, sigmoid(inf) = 1 (XLA's exp clamps its input first, docs/parity.md, and still gives these).
        uint[] expX = [Bits.Of(0f), Bits.Of(-0f), Bits.Of(float.NegativeInfinity), Bits.Of(float.PositiveInfinity)];
        uint[] expY = [Bits.Of(1f), Bits.Of(1f), 0, Bits.Of(float.PositiveInfinity)];
        Add(Case("exp_exact", "rnn_math", ("fn", "exp"), ("x", Words(expX))), new JsonObject { ["eager"] = Words(expY), ["in_scan"] = Words(expY) });
        uint[] sigmoidX = [Bits.Of(0f), Bits.Of(float.NegativeInfinity), Bits.Of(float.PositiveInfinity)];
        uint[] sigmoidY = [Bits.Of(0.5f), 0, Bits.Of(1f)];
        Add(Case("sigmoid_exact", "rnn_math", ("fn", "sigmoid"), ("x", Words(sigmoidX))), new JsonObject { ["eager"] = Words(sigmoidY), ["in_scan"] = Words(sigmoidY) });

        // By hand: nn.RNN(SimpleCell(3)) with i = (kernel I, bias 0), h = (kernel 0) and |x| < 0.0004, where tanh(x)
        // rounds to x: every output and the carry are x exactly. The checkpoint (hand-chosen values, Flax's paths) is
        // the case's input, as a real bundle's msgpack_hex is for the orthogonal-initialised cells.
        uint[] xs = [.. new[] { 0.000244140625f, -0.0001220703125f, 0f, 0.0003f, 0.0001f, -0.0002f, 0f, 0.00001f, 0.0003f, -0.0003f, 0.0002f, 0f }.Select(Bits.Of)];
        var identity3 = new NDArray<float>(new Shape(3, 3), [1, 0, 0, 0, 1, 0, 0, 0, 1]);
        Variables simple = Variables.Empty.With("params", Variables.Empty.With("cell", Variables.Empty
            .With("h", Variables.Empty.With("kernel", new NDArray<float>(new Shape(3, 3))))
            .With("i", Variables.Empty.With("bias", new NDArray<float>(new Shape(3))).With("kernel", identity3))));
        Add(Case("rnn_simple_identity", "rnn", ("model", "rnn"), ("cell", "simple"), ("hidden", 3), ("xshape", Ints(4, 3)), ("x", Words(xs)), ("seed", 0), ("recurrent_init", "orthogonal"), ("options", new JsonObject { ["return_carry"] = true })),
            new JsonObject { ["out"] = Pair([4, 3], xs), ["carry_h"] = Pair([3], xs[9..]), ["msgpack_hex"] = Convert.ToHexStringLower(FlaxSerialization.ToBytes(simple)) });
    }

    /// <summary>What provenance.json records: the JAX version whose rules apply, the source of the values.</summary>
    public string JaxVersion { get; set; } = "0.11.0";

    /// <summary>Whether to write provenance.json (with hashes); without it, truth.json's meta carries the version.</summary>
    public bool WithProvenance { get; set; } = true;

    public int CaseCount => _cases.Count;

    /// <summary>Adds a case and its result (the test's own additions: an unknown kind, an hlo case, a JAX failure).</summary>
    public void Add(JsonObject bundleCase, JsonObject result)
    {
        _cases.Add(bundleCase);
        _results[(string)bundleCase["id"]!] = result;
    }

    /// <summary>A case's fields, to change one of them.</summary>
    public JsonObject CaseFields(string id) => (JsonObject)_cases.Single(c => (string)c!["id"]! == id)!;

    /// <summary>The result of a case, to change one bit of it.</summary>
    public JsonObject Result(string id) => (JsonObject)_results[id]!;

    /// <summary>Writes cases.json, truth.json and (when asked) provenance.json with their sha256.</summary>
    public string WriteTo(string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "cases.json"), _cases.ToJsonString());
        var meta = new JsonObject { ["jax"] = JaxVersion, ["lscpu"] = "Architecture: x86_64\nModel name:   (published values, no CPU)\n" };
        File.WriteAllText(Path.Combine(folder, "truth.json"), new JsonObject { ["meta"] = meta, ["results"] = _results.DeepClone() }.ToJsonString());
        if (WithProvenance)
        {
            var files = new JsonObject();
            foreach (string name in new[] { "cases.json", "truth.json" })
            {
                byte[] bytes = File.ReadAllBytes(Path.Combine(folder, name));
                files[name] = new JsonObject { ["sha256"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), ["bytes"] = bytes.Length };
            }

            var provenance = new JsonObject
            {
                ["format"] = "laxscan-jax-bundle",
                ["source"] = "values JAX, XLA and Random123 publish, gathered by LaxScan's tests; not a JAX run",
                ["jax"] = JaxVersion,
                ["cpu"] = new JsonObject { ["model"] = "published values" },
                ["files"] = files,
            };
            File.WriteAllText(Path.Combine(folder, "provenance.json"), provenance.ToJsonString());
        }

        return folder;
    }

    public static JsonObject Case(string id, string kind, params (string Name, JsonNode? Value)[] fields)
    {
        var c = new JsonObject { ["id"] = id, ["kind"] = kind };
        foreach ((string name, JsonNode? value) in fields)
        {
            c[name] = value;
        }

        return c;
    }

    public static JsonArray Ints(params long[] values) => [.. values.Select(v => (JsonNode)v)];

    public static JsonArray Words(params uint[] values) => [.. values.Select(v => (JsonNode)v)];

    public static JsonArray Pair(int[] shape, uint[] bits) => [Words(bits), new JsonArray([.. shape.Select(d => (JsonNode)d)])];

    private static JsonObject U32(params long[] words) => new() { ["u32"] = Ints(words) };

    private static JsonObject F32(int[] shape, params string[] printed) =>
        new() { ["f32"] = Pair(shape, [.. printed.Select(t => Bits.Of(float.Parse(t, CultureInfo.InvariantCulture)))]) };

    /// <summary>Parses verify's JSON report.</summary>
    public static JsonElement Report(string stdout) => JsonDocument.Parse(stdout).RootElement.Clone();
}
