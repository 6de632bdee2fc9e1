namespace LaxScan.Linen;

/// <summary>
/// The one variable tree that a root scope and all its children read and write (Flax keeps it in the root scope and
/// hands children references into it). Writes replace the immutable tree, so a <see cref="Variables"/> handed out
/// earlier never changes.
/// </summary>
internal sealed class VariableStore(Variables root, bool mutable, bool initializing)
{
    public Variables Root { get; set; } = root;

    /// <summary>Whether every collection may gain variables: true in init, false in apply.</summary>
    public bool Mutable { get; } = mutable;

    /// <summary>Flax's <c>initializing</c> flag.</summary>
    public bool Initializing { get; } = initializing;

    /// <summary>The token of the init or apply call: every scope of the run sees it (<see cref="Scope.CancellationToken"/>).</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>
    /// The paths (<c>params/cell/hi/kernel</c>) of the params this init made with an initializer that does not give JAX's
    /// bits (<see cref="Nn.Initializers.IsJaxBitExact"/>), in creation order.
    /// </summary>
    public List<string> NotJaxBits { get; } = [];
}
