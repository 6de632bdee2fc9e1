namespace LaxScan.Linen;

/// <summary>
/// The per-stream call counters of one scope path, and those of its children by name. Flax keeps a child's counters in
/// its parent (under <c>(child_rng_token, name)</c>) so that a submodule called again, or a rewound scope, keeps
/// counting instead of handing out the same keys twice.
/// </summary>
internal sealed class RngCounters
{
    private readonly Dictionary<string, long> _streams = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RngCounters> _children = new(StringComparer.Ordinal);

    /// <summary>Increments the counter of a stream (starting at 0) and returns the new value.</summary>
    public long Next(string stream)
    {
        _streams.TryGetValue(stream, out long count);
        count++;
        _streams[stream] = count;
        return count;
    }

    /// <summary>The counters of the child scope with this name, made on first use.</summary>
    public RngCounters Child(string name)
    {
        if (!_children.TryGetValue(name, out RngCounters? child))
        {
            child = new RngCounters();
            _children[name] = child;
        }

        return child;
    }
}
