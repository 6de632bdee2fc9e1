namespace LaxScan.Linen;

/// <summary>
/// What every Flax-style module has regardless of its input and output types: an optional explicit name. Derive from
/// <see cref="Module{TIn, TOut}"/>.
/// </summary>
public abstract class Module
{
    private protected Module()
    {
    }

    /// <summary>
    /// The explicit name under which a parent runs this module (Flax's <c>name=</c>), or null to be named
    /// <c>ClassName_i</c> by the parent. A root module's name is not part of any path, as in Flax.
    /// </summary>
    public string? Name { get; init; }

    /// <summary>The class name that autonames start from (without a generic arity suffix such as <c>`1</c>).</summary>
    public string ClassName => TypeName;

    /// <summary>
    /// The class name Flax would see. A lifted transform names its class after the transform and the module
    /// (<c>nn.scan(LSTMCell)</c> is <c>ScanLSTMCell</c>), which such modules supply here.
    /// </summary>
    internal virtual string TypeName
    {
        get
        {
            string name = GetType().Name;
            int tick = name.IndexOf('`', StringComparison.Ordinal);
            return tick < 0 ? name : name[..tick];
        }
    }
}
