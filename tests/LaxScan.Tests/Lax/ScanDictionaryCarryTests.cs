using System.Collections.Immutable;

namespace LaxScan.Tests.Lax;

/// <summary>
/// A dictionary carry of any .NET dictionary type (issue 10 item 17): JAX's dict carries are written in C# as a
/// <c>Dictionary&lt;string, NDArray&lt;float&gt;&gt;</c> far more often than as an <c>IReadOnlyDictionary&lt;string, INDArray&gt;</c>,
/// which was the only form accepted; the others failed with "but  is a Dictionary`2".
/// </summary>
public class ScanDictionaryCarryTests
{
    private static NDArray<float> Vector(params float[] values) => new(new Shape(values.Length), values);

    [Fact]
    public void A_Dictionary_of_float_arrays_is_a_carry()
    {
        var init = new Dictionary<string, NDArray<float>> { ["h"] = Vector(1f, 2f), ["c"] = Vector(10f) };
        (Dictionary<string, NDArray<float>> carry, NDArray<float>? ys) = LaxScan.Lax.Scan(
            c => (new Dictionary<string, NDArray<float>> { ["h"] = Vector(c["h"].Data[0] * 2f, c["h"].Data[1] * 2f), ["c"] = Vector(c["c"].Data[0] + 1f) }, c["c"]),
            init,
            3);
        Assert.Equal([8f, 16f], carry["h"].Data);
        Assert.Equal([13f], carry["c"].Data);
        Assert.Equal([10f, 11f, 12f], ys!.Data);
    }

    [Fact]
    public void An_immutable_dictionary_and_a_sorted_one_are_carries()
    {
        ImmutableDictionary<string, NDArray<float>> immutable = ImmutableDictionary<string, NDArray<float>>.Empty.Add("a", Vector(1f));
        Assert.Equal([4f], LaxScan.Lax.Scan(c => (c.SetItem("a", Vector(c["a"].Data[0] + 1f)), null), immutable, 3).Carry["a"].Data);

        var sorted = new SortedDictionary<string, NDArray<float>> { ["a"] = Vector(1f) };
        Assert.Equal([3f], LaxScan.Lax.Scan(c => (new SortedDictionary<string, NDArray<float>> { ["a"] = Vector(c["a"].Data[0] + 1f) }, null), sorted, 2).Carry["a"].Data);
    }

    [Fact]
    public void A_read_only_dictionary_that_is_no_IDictionary_is_a_carry()
    {
        IReadOnlyDictionary<string, NDArray<float>> init = new ReadOnlyOnly(new() { ["a"] = Vector(1f) });
        Assert.Equal([3f], LaxScan.Lax.Scan(c => ((IReadOnlyDictionary<string, NDArray<float>>)new ReadOnlyOnly(new() { ["a"] = Vector(c["a"].Data[0] + 1f) }), null), init, 2).Carry["a"].Data);
    }

    [Fact]
    public void A_dictionary_carry_that_changes_shape_names_its_key()
    {
        var init = new Dictionary<string, NDArray<float>> { ["h"] = Vector(1f, 2f) };
        var error = Assert.Throws<ScanCarryTypeError>(() => LaxScan.Lax.Scan(c => (new Dictionary<string, NDArray<float>> { ["h"] = Vector(1f) }, null), init, 1));
        Assert.Contains("The input carry component c['h'] has type float32[2] but the corresponding output carry component has type float32[1], so the shapes do not match.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dictionary_carry_that_changes_its_keys_is_a_structure_error()
    {
        var init = new Dictionary<string, NDArray<float>> { ["h"] = Vector(1f) };
        var error = Assert.Throws<ScanCarryTypeError>(() => LaxScan.Lax.Scan(c => (new Dictionary<string, NDArray<float>> { ["g"] = Vector(1f) }, null), init, 1));
        Assert.Contains("the input tree structure is:\n{'h': *}\n\nthe output tree structure is:\n{'g': *}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_carry_that_is_no_tree_says_what_and_where_it_is()
    {
        var error = Assert.Throws<ArgumentException>(() => LaxScan.Lax.Scan(c => (c, null), new Dictionary<int, NDArray<float>> { [1] = Vector(1f) }, 1));
        Assert.Equal("a scan carry holds arrays, tuples, lists and dictionaries of them with string keys, as JAX's pytrees do, but the carry is a Dictionary<Int32, NDArray<Single>>, whose keys are not strings", error.Message);

        error = Assert.Throws<ArgumentException>(() => LaxScan.Lax.Scan(c => (c, null), new Dictionary<string, object> { ["n"] = "text" }, 1));
        Assert.Equal("a scan carry holds arrays, tuples, lists and dictionaries of them with string keys, as JAX's pytrees do, but the carry['n'] is a String", error.Message);
    }

    /// <summary>An IReadOnlyDictionary that implements nothing else a carry could be recognised by.</summary>
    private sealed class ReadOnlyOnly(Dictionary<string, NDArray<float>> inner) : IReadOnlyDictionary<string, NDArray<float>>
    {
        public NDArray<float> this[string key] => inner[key];

        public IEnumerable<string> Keys => inner.Keys;

        public IEnumerable<NDArray<float>> Values => inner.Values;

        public int Count => inner.Count;

        public bool ContainsKey(string key) => inner.ContainsKey(key);

        public bool TryGetValue(string key, out NDArray<float> value) => inner.TryGetValue(key, out value!);

        public IEnumerator<KeyValuePair<string, NDArray<float>>> GetEnumerator() => inner.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
