using System.Runtime.CompilerServices;

namespace LaxScan;

/// <summary>
/// The leaves of a scan carry with their JAX key paths: an <see cref="INDArray"/> is one leaf; a tuple or a list
/// of carries is a node whose children are addressed <c>[i]</c>, a string-keyed dictionary one whose children are
/// addressed <c>['key']</c>, as <c>jax.tree_util.keystr</c> writes them.
/// </summary>
internal static class CarryTree
{
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

            case IReadOnlyDictionary<string, INDArray> dict:
            {
                var parts = new List<string>();
                foreach ((string key, INDArray value) in dict.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    parts.Add($"'{key}': {Flatten(value, $"{path}['{key}']", leaves)}");
                }

                return $"{{{string.Join(", ", parts)}}}";
            }

            case System.Collections.IList list:
            {
                var parts = new string[list.Count];
                for (int i = 0; i < list.Count; i++)
                {
                    parts[i] = Flatten(list[i], $"{path}[{i}]", leaves);
                }

                return $"[{string.Join(", ", parts)}]";
            }

            case null:
                return "None";
            default:
                throw new ArgumentException(
                    $"a scan carry holds arrays, tuples, lists and string-keyed dictionaries of arrays, but {path} is a {node.GetType().Name}");
        }
    }
}
