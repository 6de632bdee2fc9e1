namespace LaxScan;

/// <summary>
/// How many JAX transforms (such as a <c>Lax.Scan</c> body) the current logical flow is inside, like JAX's trace
/// stack. Flax-style scopes remember the depth they were made at and refuse to create variables deeper down, as Flax
/// raises <c>JaxTransformError</c> when a param is made inside a raw <c>jax.lax.scan</c> body.
/// </summary>
/// <remarks>
/// The depth is an <see cref="AsyncLocal{T}"/>: it follows the code that entered the level to whatever runs on its
/// behalf (a thread or task it starts, the rest of an async method after an <c>await</c> that resumed on another
/// thread), and to nothing else: another caller's thread never sees it. A <c>[ThreadStatic]</c> depth, as before,
/// let a body create a param on another thread or after an await without the error. Reading it is a few
/// nanoseconds; <c>Lax.Scan</c> enters a level once per call, not per step, so a scan's steps pay nothing for it.
/// </remarks>
internal static class TraceContext
{
    private static readonly AsyncLocal<int> s_depth = new();

    /// <summary>The number of transform bodies the current logical flow is running inside.</summary>
    public static int Depth => s_depth.Value;

    /// <summary>Enters a transform body until the returned value is disposed.</summary>
    public static Level Enter()
    {
        int depth = s_depth.Value + 1;
        s_depth.Value = depth;
        return new Level(depth);
    }

    /// <summary>One entered transform level; disposing it leaves the level.</summary>
    public readonly struct Level : IDisposable
    {
        private readonly int _depth;

        internal Level(int depth) => _depth = depth;

        /// <summary>Leaves the level (levels must be left in reverse order of entry).</summary>
        public void Dispose()
        {
            int current = s_depth.Value;
            if (current != _depth)
            {
                throw new InvalidOperationException($"transform levels left out of order: at depth {current}, leaving {_depth}");
            }

            s_depth.Value = _depth - 1;
        }
    }
}
