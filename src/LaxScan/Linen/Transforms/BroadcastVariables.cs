namespace LaxScan.Linen.Transforms;

/// <summary>
/// What Flax's lifted scan leaves in the broadcast collection after init. The init-mode pass returns the body's params
/// through a JAX trace (flax/core/axes_scan.py <c>scan_fn</c>: <c>tree_unflatten(out_tree(), out_flat)</c>), which
/// rebuilds every dict with its keys sorted; <c>pack</c>'s <c>publish_results_fn</c> (flax/core/lift.py) then puts each
/// top-level entry back with <c>put_variable</c>: an existing name keeps its place, a new one is appended. So an
/// <c>nn.RNN(nn.LSTMCell(H))</c> checkpoint lists <c>hf, hg, hi, ho, if, ig, ii, io</c>, each <c>bias</c> before
/// <c>kernel</c>, while a bare <c>LSTMCell.init</c> keeps creation order.
/// </summary>
internal static class BroadcastVariables
{
    /// <summary>The names at <paramref name="path"/> (such as <c>["params", "cell"]</c>) before the init-mode pass.</summary>
    public static string[] NamesAt(VariableStore store, string[] path) =>
        store.Root.TryGetDict(path, out Variables? dict) ? [.. dict.Keys] : [];

    /// <summary>Rewrites the dict at <paramref name="path"/> in the order Flax publishes it.</summary>
    public static void Publish(VariableStore store, string[] path, string[] namesBefore)
    {
        if (!store.Root.TryGetDict(path, out Variables? dict))
        {
            return;
        }

        Variables sorted = dict.SortedRecursively();
        Variables published = Variables.Empty;
        foreach (string name in namesBefore.Concat(sorted.Keys.Where(k => !namesBefore.Contains(k, StringComparer.Ordinal))))
        {
            VariableEntry entry = sorted.First(e => e.Key == name);
            published = entry.Dict is { } d ? published.With(name, d) : published.With(name, entry.Leaf!);
        }

        store.Root = store.Root.SetDictAt(path, published);
    }
}
