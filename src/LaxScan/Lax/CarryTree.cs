using System.Collections;
using System.Runtime.CompilerServices;

namespace LaxScan;

/// <summary>
/// The leaves of a scan carry with their JAX key paths: an <see cref="INDArray"/> is one leaf; a tuple or a list
/// of carries is a node whose children are addressed <c>[i]</c>, a string-keyed dictionary one whose children are
/// addressed <c>['key']</c>, as <c>jax.tree_util.keystr</c> writes them.
/// </summary>
/// <remarks>
/// Any .NET dictionary with string keys is a dictionary node: every <see cref="IDictionary"/> (<c>Dictionary</c>,
/// <c>SortedDictionary</c>, <c>ImmutableDictionary</c>, <c>ConcurrentDictionary</c>, ...), and any
/// <c>IReadOnlyDictionary&lt;string, T&gt;</c> whose T is an array type, <see cref="INDArray"/> or <see cref="object"/>
/// (named one by one: without reflection, which trimming and native AOT do not allow, a dictionary interface is
/// not covariant). Its children are visited in ordinal key order, as JAX sorts a dict's keys.
/// </remarks>
internal static class CarryTree
{
    private const string Holds = "a scan carry holds arrays, tuples, lists and dictionaries of them with string keys, as JAX's pytrees do";

    public static List<(string Path, INDArray Leaf)> Flatten(object? carry, out string structure)
    {
        var leaves = new List<(string, INDArray)>();
        structure = Flatten(carry, string.Empty, leaves);
        return leaves;
    }

    private static string Flatten(object? node, string path, List<(string, INDArray)> leaves)
    {
        switch (node)
        {
            case INDArray array:
                leaves.Add((path, array));
                return "*";
            case ITuple tuple:
            {
                var parts = new string[tuple.Length];
                for (int i = 0; i < tuple.Length; i++)
                {
                    parts[i] = Flatten(tuple[i], $"{path}[{i}]", leaves);
                }

                return $"({string.Join(", ", parts)}{(parts.Length == 1 ? "," : string.Empty)})";
            }

            case null:
                return "None";
        }

        if (Pairs(node, path) is { } pairs)
        {
            var parts = new List<string>();
            foreach ((string key, object? value) in pairs.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                parts.Add($"'{key}': {Flatten(value, $"{path}['{key}']", leaves)}");
            }

            return $"{{{string.Join(", ", parts)}}}";
        }

        if (node is IList list)
        {
            var parts = new string[list.Count];
            for (int i = 0; i < list.Count; i++)
            {
                parts[i] = Flatten(list[i], $"{path}[{i}]", leaves);
            }

            return $"[{string.Join(", ", parts)}]";
        }

        throw new ArgumentException($"{Holds}, but {Where(path)} is a {TypeName(node.GetType())}");
    }

    /// <summary>A dictionary's entries, or null for a node that is no dictionary; a dictionary whose keys are not strings is refused.</summary>
    private static IEnumerable<KeyValuePair<string, object?>>? Pairs(object node, string path)
    {
        switch (node)
        {
            case IReadOnlyDictionary<string, INDArray> d: return Boxed(d);
            case IReadOnlyDictionary<string, NDArray<float>> d: return Boxed(d);
            case IReadOnlyDictionary<string, NDArray<byte>> d: return Boxed(d);
            case IReadOnlyDictionary<string, NDArray<ushort>> d: return Boxed(d);
            case IReadOnlyDictionary<string, NDArray<uint>> d: return Boxed(d);
            case IReadOnlyDictionary<string, NDArray<ulong>> d: return Boxed(d);
            case IReadOnlyDictionary<string, object?> d: return Boxed(d);
            case IDictionary dictionary:
            {
                var pairs = new List<KeyValuePair<string, object?>>(dictionary.Count);
                foreach (DictionaryEntry entry in dictionary)
                {
                    if (entry.Key is not string key)
                    {
                        throw new ArgumentException($"{Holds}, but {Where(path)} is a {TypeName(node.GetType())}, whose keys are not strings");
                    }

                    pairs.Add(new(key, entry.Value));
                }

                return pairs;
            }

            default:
                return null;
        }
    }

    private static IEnumerable<KeyValuePair<string, object?>> Boxed<TValue>(IReadOnlyDictionary<string, TValue> dictionary) =>
        dictionary.Select(kv => new KeyValuePair<string, object?>(kv.Key, kv.Value));

    private static string Where(string path) => path.Length == 0 ? "the carry" : $"the carry{path}";

    /// <summary>A type as C# writes it, <c>Dictionary&lt;Int32, NDArray&lt;Single&gt;&gt;</c>, rather than <c>Dictionary`2</c>.</summary>
    private static string TypeName(Type type)
    {
        if (!type.IsGenericType)
        {
            return type.Name;
        }

        string name = type.Name;
        int tick = name.IndexOf('`', StringComparison.Ordinal);
        return $"{(tick < 0 ? name : name[..tick])}<{string.Join(", ", type.GenericTypeArguments.Select(TypeName))}>";
    }
}
