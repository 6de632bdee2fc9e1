using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace LaxScan.Linen;

/// <summary>
/// Flax's variable dict, <c>{collection: {name: array | nested dict}}</c>, such as
/// <c>{"params": {"Dense_0": {"kernel": ..., "bias": ...}}}</c>. Immutable: <see cref="With(string, INDArray)"/> returns a
/// new dictionary. Entries keep insertion order, as Python dicts (and so Flax's init output) do; a replaced key keeps
/// its place. Keys compare ordinally.
/// </summary>
public sealed class Variables : IEnumerable<VariableEntry>
{
    private readonly VariableEntry[] _entries;

    private Variables(VariableEntry[] entries) => _entries = entries;

    /// <summary>
    /// A level built in one go from entries whose keys the caller has already made unique, in O(n): building a wide
    /// level through <see cref="With(string, INDArray)"/> is O(n^2), which a reader of untrusted files cannot afford.
    /// </summary>
    internal static Variables FromUniqueEntries(VariableEntry[] entries) => new(entries);

    /// <summary>The empty dictionary, <c>{}</c>.</summary>
    public static Variables Empty { get; } = new([]);

    /// <summary>The number of entries at this level.</summary>
    public int Count => _entries.Length;

    /// <summary>The names at this level, in insertion order.</summary>
    public IEnumerable<string> Keys => _entries.Select(e => e.Key);

    /// <summary>Whether this level has an entry with the name.</summary>
    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    /// <summary>A copy with the entry <paramref name="key"/> set to an array (replaced in place, or appended).</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public Variables With(string key, INDArray leaf)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        return With(new VariableEntry(key ?? throw new ArgumentNullException(nameof(key)), leaf, null));
    }

    /// <summary>A copy with the entry <paramref name="key"/> set to a nested dictionary (replaced in place, or appended).</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public Variables With(string key, Variables dict)
    {
        ArgumentNullException.ThrowIfNull(dict);
        return With(new VariableEntry(key ?? throw new ArgumentNullException(nameof(key)), null, dict));
    }

    /// <summary>Finds the array at a path of names, such as <c>("params", "Dense_0", "kernel")</c>.</summary>
    /// <returns>False when a name is missing or the path ends at a nested dictionary.</returns>
    public bool TryGetLeaf(ReadOnlySpan<string> path, [NotNullWhen(true)] out INDArray? leaf)
    {
        leaf = TryGetEntry(path, out VariableEntry entry) ? entry.Leaf : null;
        return leaf is not null;
    }

    /// <summary>Finds the nested dictionary at a path of names; the empty path gives this dictionary.</summary>
    /// <returns>False when a name is missing or the path ends at an array.</returns>
    public bool TryGetDict(ReadOnlySpan<string> path, [NotNullWhen(true)] out Variables? dict)
    {
        if (path.IsEmpty)
        {
            dict = this;
            return true;
        }

        dict = TryGetEntry(path, out VariableEntry entry) ? entry.Dict : null;
        return dict is not null;
    }

    /// <summary>The array at a path of names.</summary>
    /// <exception cref="KeyNotFoundException">No array lies at that path.</exception>
    public INDArray GetLeaf(params ReadOnlySpan<string> path) =>
        TryGetLeaf(path, out INDArray? leaf) ? leaf : throw NotFound(path, "an array");

    /// <summary>The float32 array at a path of names, as <c>Dense</c>'s <c>kernel</c> and <c>bias</c> are.</summary>
    /// <exception cref="KeyNotFoundException">No float32 array lies at that path.</exception>
    public NDArray<float> GetFloat32(params ReadOnlySpan<string> path) =>
        TryGetLeaf(path, out INDArray? leaf) && leaf is NDArray<float> array ? array : throw NotFound(path, "a float32 array");

    /// <summary>The nested dictionary at a path of names.</summary>
    /// <exception cref="KeyNotFoundException">No dictionary lies at that path.</exception>
    public Variables GetDict(params ReadOnlySpan<string> path) =>
        TryGetDict(path, out Variables? dict) ? dict : throw NotFound(path, "a dictionary");

    /// <summary>Every array of the tree with its path, depth first in insertion order.</summary>
    public IEnumerable<VariableLeaf> Leaves()
    {
        var result = new List<VariableLeaf>();
        Collect(this, [], result);
        return result;
    }

    /// <inheritdoc />
    public IEnumerator<VariableEntry> GetEnumerator() => ((IEnumerable<VariableEntry>)_entries).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>
    /// The tree in the layout of Flax's <c>pretty_repr</c> (four spaces per level, a comma after each entry), with each
    /// array shown as its JAX type such as <c>float32[3,4]</c>.
    /// </summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        Append(text, this, 0);
        return text.ToString();
    }

    /// <summary>A copy with an array at a path, making the dictionaries along it as needed.</summary>
    /// <exception cref="ArgumentException">A name along the path holds an array, not a dictionary.</exception>
    internal Variables SetAt(ReadOnlySpan<string> path, INDArray leaf)
    {
        if (path.Length == 1)
        {
            return With(path[0], leaf);
        }

        Variables child = Empty;
        int index = IndexOf(path[0]);
        if (index >= 0)
        {
            child = _entries[index].Dict
                ?? throw new ArgumentException($"cannot store a variable under \"{path[0]}\": that name holds an array ({_entries[index].Leaf!.TypeString}), not a dictionary", nameof(path));
        }

        return With(path[0], child.SetAt(path[1..], leaf));
    }

    /// <summary>A copy with a nested dictionary at a path, making the dictionaries along it as needed.</summary>
    /// <exception cref="ArgumentException">A name along the path holds an array, not a dictionary.</exception>
    internal Variables SetDictAt(ReadOnlySpan<string> path, Variables dict)
    {
        if (path.Length == 1)
        {
            return With(path[0], dict);
        }

        Variables child = Empty;
        int index = IndexOf(path[0]);
        if (index >= 0)
        {
            child = _entries[index].Dict
                ?? throw new ArgumentException($"cannot store variables under \"{path[0]}\": that name holds an array ({_entries[index].Leaf!.TypeString}), not a dictionary", nameof(path));
        }

        return With(path[0], child.SetDictAt(path[1..], dict));
    }

    /// <summary>
    /// This tree with every level's keys in ordinal order, as a dict comes back from a JAX pytree round trip
    /// (<c>tree_unflatten</c> rebuilds dicts in sorted key order).
    /// </summary>
    internal Variables SortedRecursively()
    {
        VariableEntry[] entries = [.. _entries.OrderBy(e => e.Key, StringComparer.Ordinal)
            .Select(e => e.Dict is null ? e : new VariableEntry(e.Key, null, e.Dict.SortedRecursively()))];
        return new Variables(entries);
    }

    private static void Collect(Variables dict, string[] prefix, List<VariableLeaf> result)
    {
        foreach (VariableEntry entry in dict._entries)
        {
            string[] path = [.. prefix, entry.Key];
            if (entry.Leaf is not null)
            {
                result.Add(new VariableLeaf(path, entry.Leaf));
            }
            else
            {
                Collect(entry.Dict!, path, result);
            }
        }
    }

    private static void Append(StringBuilder text, Variables dict, int depth)
    {
        if (dict.Count == 0)
        {
            text.Append("{}");
            return;
        }

        text.Append("{\n");
        foreach (VariableEntry entry in dict._entries)
        {
            text.Append(' ', 4 * (depth + 1)).Append(entry.Key).Append(": ");
            if (entry.Leaf is not null)
            {
                text.Append(entry.Leaf.TypeString);
            }
            else
            {
                Append(text, entry.Dict!, depth + 1);
            }

            text.Append(",\n");
        }

        text.Append(' ', 4 * depth).Append('}');
    }

    private static KeyNotFoundException NotFound(ReadOnlySpan<string> path, string what) =>
        new($"the variables hold no {what} at \"{string.Join('/', path.ToArray())}\"; look at the tree's ToString() for the names it has");

    private bool TryGetEntry(ReadOnlySpan<string> path, out VariableEntry entry)
    {
        entry = default;
        Variables current = this;
        for (int i = 0; i < path.Length; i++)
        {
            int index = current.IndexOf(path[i]);
            if (index < 0)
            {
                return false;
            }

            entry = current._entries[index];
            if (i < path.Length - 1)
            {
                if (entry.Dict is null)
                {
                    return false;
                }

                current = entry.Dict;
            }
        }

        return !path.IsEmpty;
    }

    private Variables With(VariableEntry entry)
    {
        int index = IndexOf(entry.Key);
        VariableEntry[] entries;
        if (index >= 0)
        {
            entries = (VariableEntry[])_entries.Clone();
            entries[index] = entry;
        }
        else
        {
            entries = [.. _entries, entry];
        }

        return new Variables(entries);
    }

    private int IndexOf(string key)
    {
        // Variable dicts are small (a few names per level), so a linear scan beats building an index.
        for (int i = 0; i < _entries.Length; i++)
        {
            if (string.Equals(_entries[i].Key, key, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
