using LaxScan.Linen.Recurrent.Kernels;
using LaxScan.Linen.Transforms;
using LaxScan.Threading;

namespace LaxScan.Linen.Recurrent;

/// <summary>
/// <c>nn.scan</c> of a recurrent cell over a sequence, in the scan module's scope: the cell's params made once by the
/// init-mode pass (in the lifted scope: same path, streams and counters) and published in Flax's order, then the
/// sequence run by <see cref="SequenceRunner"/>.
/// </summary>
internal static class SequenceScan
{
    /// <param name="scope">The scope the cell's params live in (the scan module's, or nn.RNN's <c>cell</c>).</param>
    /// <param name="cell">The cell.</param>
    /// <param name="options">The scan's options (reverse, the lifted RNG streams).</param>
    /// <param name="init">The initial carry, (*batch, H) per part.</param>
    /// <param name="xs">The inputs with the scanned axis first, (T, *batch, F).</param>
    /// <param name="hooks">Cancellation, observer, kept carries.</param>
    public static SequenceRun Run(Scope scope, RecurrentCell cell, ScanOptions options, RnnCarry init, NDArray<float> xs, SequenceHooks hooks)
    {
        if (xs.Shape.Rank < 2)
        {
            ThrowHelper.ThrowArgument($"scanning {cell.ClassName} needs inputs of shape (T, *batch, in_features), but got {xs.Shape}", "xs");
        }

        cell.CheckStepShapes(init, new Shape(xs.Shape.Dimensions[1..]));
        RecurrentCell.CheckVersion(scope, cell.ClassName);
        string[] streams = [.. options.SplitRngs.Keys];
        string[] path = ["params", .. scope.Path];
        string[] before = BroadcastVariables.NamesAt(scope.Store, path);
        using RunTeam? ownTeam = hooks.Team is null ? new RunTeam(cell.Threads) : null;
        CellProgram program;
        using (TraceContext.Enter())
        {
            // In init this is Flax's init-mode pass that makes the broadcast params; in apply it reads them.
            program = cell.Bind(scope.Lifted(cell.ClassName, streams), xs.Shape[-1], init.Shape[-1], hooks.Team ?? ownTeam!);
        }

        using (program)
        {
            if (scope.IsInitializing)
            {
                BroadcastVariables.Publish(scope.Store, path, before);
            }

            return SequenceRunner.Run(program, init, xs, options.Reverse, hooks);
        }
    }
}
