using LaxScan.Linen.Recurrent;

namespace LaxScan.Linen.Transforms;

/// <summary>Flax's lifted transforms (<c>flax.linen.transforms</c>) that LaxScan implements: <see cref="Scan{TCarry}"/>.</summary>
public static class LinenTransforms
{
    /// <summary>
    /// <c>nn.scan(Body, variable_broadcast="params", split_rngs={"params": False}, in_axes=..., out_axes=...,
    /// length=..., reverse=..., unroll=...)(...)</c>: the module that runs <paramref name="body"/> over the steps of its
    /// input. See <see cref="ScanModule{TCarry}"/>.
    /// </summary>
    /// <typeparam name="TCarry">The carry type.</typeparam>
    /// <param name="body">The module to scan: one step, <c>(carry, x) -&gt; (carry, y)</c>; x and y may be null (JAX's None).</param>
    /// <param name="options">nn.scan's arguments; null for nn.RNN's.</param>
    /// <param name="name">The module's explicit name (Flax's <c>name=</c>), or null to be autonamed <c>ScanBody_i</c>.</param>
    /// <exception cref="NotSupportedException">An option LaxScan does not implement (see <see cref="ScanOptions"/>).</exception>
    /// <exception cref="ArgumentOutOfRangeException">unroll &lt; 1 or a negative length.</exception>
    public static ScanModule<TCarry> Scan<TCarry>(Module<(TCarry Carry, NDArray<float>? X), (TCarry Carry, NDArray<float>? Y)> body, ScanOptions? options = null, string? name = null)
        where TCarry : notnull
    {
        ArgumentNullException.ThrowIfNull(body);
        options ??= ScanOptions.Default;
        options.Validate();
        return new ScanModule<TCarry>(body, options) { Name = name };
    }

    /// <summary>
    /// <c>nn.scan(Cell, ...)</c> over a recurrent cell, as in Flax's <c>nn.scan(nn.LSTMCell, variable_broadcast="params",
    /// split_rngs={"params": False}, in_axes=1, out_axes=1)</c>: called with <c>(carry, xs)</c>, it returns the final
    /// carry and the stacked outputs (never null). The class is named <c>"Scan" + cell class</c> (<c>ScanLSTMCell</c>).
    /// </summary>
    /// <param name="cell">The cell.</param>
    /// <param name="options">nn.scan's arguments; null for nn.RNN's.</param>
    /// <param name="name">The module's explicit name, or null to be autonamed <c>ScanLSTMCell_i</c> and so on.</param>
    /// <exception cref="NotSupportedException">An option LaxScan does not implement (see <see cref="ScanOptions"/>).</exception>
    public static ScanModule<RnnCarry> Scan(RecurrentCell cell, ScanOptions? options = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(cell);
        return Scan<RnnCarry>(new CellStep(cell), options, name);
    }
}
