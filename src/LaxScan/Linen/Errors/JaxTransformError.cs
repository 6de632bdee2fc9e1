namespace LaxScan.Linen;

/// <summary>
/// Flax's <c>JaxTransformError</c>: a scope made outside a transform (a <c>Lax.Scan</c> body, see
/// <see cref="TraceContext"/>) was asked to create a param, an RNG key or a submodule inside it. A scan body must be a
/// pure function of its carry and inputs; create the params before the scan and pass them in.
/// </summary>
/// <remarks>
/// Flax raised this up to 0.10.0; Flax 0.10.1 and later skip the check (<c>flax/core/tracers.py</c>,
/// <c>check_trace_level</c> is a TODO). LaxScan keeps it, because a param made inside a scan body would otherwise be
/// made once per step.
/// </remarks>
public sealed class JaxTransformError : InvalidOperationException, IFlaxError
{
    /// <summary>Creates the error.</summary>
    /// <param name="action">What was attempted, such as <c>create param "W"</c>.</param>
    /// <param name="scopePath">The scope's path text.</param>
    /// <param name="scopeDepth">The transform depth the scope was made at.</param>
    /// <param name="currentDepth">The transform depth at the attempt.</param>
    public JaxTransformError(string action, string scopePath, int scopeDepth, int currentDepth)
        : base(FlaxErrorText.WithLink(
            "Jax transforms and Flax models cannot be mixed. " +
            $"Tried to {action} in scope \"{scopePath}\" inside a transform body (a Lax.Scan body: transform depth {currentDepth}, " +
            $"but the scope was made at depth {scopeDepth}). Create params and submodules outside the scan body and pass " +
            "the arrays in, as Flax's lifted transforms (nn.scan) do.", nameof(JaxTransformError)))
    {
        Action = action;
        ScopePath = scopePath;
        ScopeDepth = scopeDepth;
        CurrentDepth = currentDepth;
    }

    /// <summary>What was attempted.</summary>
    public string Action { get; }

    /// <summary>The scope's path text.</summary>
    public string ScopePath { get; }

    /// <summary>The transform depth the scope was made at.</summary>
    public int ScopeDepth { get; }

    /// <summary>The transform depth at the attempt.</summary>
    public int CurrentDepth { get; }

    /// <inheritdoc/>
    public string FlaxClassName => nameof(JaxTransformError);
}
