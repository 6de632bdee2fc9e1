namespace LaxScan;

/// <summary>
/// How many JAX transforms (such as a <c>Lax.Scan</c> body) the current thread is inside, like JAX's
/// trace stack. Flax-style scopes remember the depth they were made at and refuse to create variables deeper down,
/// as Flax raises <c>JaxTransformError</c> when a param is made inside a raw <c>jax.lax.scan</c> body.
/// </summary>
public static class TraceContext
{
    [ThreadStatic]
    private static int t_depth;

    /// <summary>The number of transform bodies the current thread is running inside.</summary>
    public static int Depth => t_depth;

    /// <summary>Enters a transform body until the returned value is disposed.</summary>
    public static Level Enter()
    {
        t_depth++;
        return new Level(t_depth);
    }

    /// <summary>One entered transform level; disposing it leaves the level.</summary>
    public readonly struct Level : IDisposable
    {
        private readonly int _depth;

        internal Level(int depth) => _depth = depth;

        /// <summary>Leaves the level (levels must be left in reverse order of entry).</summary>
        public void Dispose()
        {
            if (t_depth != _depth)
            {
                throw new InvalidOperationException($"transform levels left out of order: at depth {t_depth}, leaving {_depth}");
            }

            t_depth--;
        }
    }
}
