using LaxScan.Linen.Recurrent;

namespace LaxScan.Linen.Transforms;

/// <summary>
/// A cell seen as a scan body, <c>(carry, x?) -&gt; (carry, y?)</c>: it runs the cell in the very scope it is given and
/// under the cell's class name, so the scan's params are the cell's.
/// </summary>
internal sealed class CellStep(RecurrentCell cell) : Module<(RnnCarry Carry, NDArray<float>? X), (RnnCarry Carry, NDArray<float>? Y)>
{
    public RecurrentCell Cell { get; } = cell;

    internal override string TypeName => Cell.ClassName;

    protected override (RnnCarry Carry, NDArray<float>? Y) Call(Scope scope, (RnnCarry Carry, NDArray<float>? X) input) =>
        Cell.Invoke(scope, (input.Carry, input.X ?? throw new ArgumentException($"{Cell.ClassName} needs an input at every step; pass xs to the scan", nameof(input))));
}
