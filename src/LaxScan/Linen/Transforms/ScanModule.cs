using LaxScan.Linen.Recurrent;

namespace LaxScan.Linen.Transforms;

/// <summary>
/// The class <c>nn.scan(Body, ...)</c> returns (flax/linen/transforms.py <c>module_class_lift_transform</c>): called with
/// <c>(carry, xs)</c>, it runs the body once per step, <c>(carry, y) = body(carry, xs[t])</c>, and returns the final
/// carry and the ys stacked along <see cref="ScanOptions.OutAxes"/>. Make one with <see cref="LinenTransforms.Scan{TCarry}"/>.
/// </summary>
/// <remarks>
/// <para>
/// The body runs in this module's own scope: Flax's lifted scope has the same path, RNG streams and counters
/// (flax/core/lift.py <c>_partial_pack</c>), so the body's params live where the body's would
/// (<c>params/ScanLSTMCell_0/ii/kernel</c>, the class being named <c>"Scan" + body class</c>), and their keys are the
/// keys the body would draw there.
/// </para>
/// <para>
/// Params (<c>variable_broadcast="params"</c>) are made once, by a first pass of the body before the loop (Flax's
/// init-mode trace in flax/core/axes_scan.py <c>scan_fn</c>), and every step closes over them; their dict comes back
/// sorted (see <see cref="BroadcastVariables"/>). A <see cref="RecurrentCell"/> body runs the whole sequence in its
/// own allocation-free kernels with the same bits as step-by-step calls.
/// </para>
/// </remarks>
/// <typeparam name="TCarry">The carry: an array, a tuple of arrays, an <see cref="RnnCarry"/>.</typeparam>
public sealed class ScanModule<TCarry> : Module<(TCarry Carry, NDArray<float>? Xs), (TCarry Carry, NDArray<float>? Ys)>
    where TCarry : notnull
{
    internal ScanModule(Module<(TCarry Carry, NDArray<float>? X), (TCarry Carry, NDArray<float>? Y)> body, ScanOptions options)
    {
        Body = body;
        Options = options;
    }

    /// <summary>The scanned module.</summary>
    public Module<(TCarry Carry, NDArray<float>? X), (TCarry Carry, NDArray<float>? Y)> Body { get; }

    /// <summary>nn.scan's arguments.</summary>
    public ScanOptions Options { get; }

    internal override string TypeName => "Scan" + Body.ClassName;

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The length cannot be found, or disagrees with xs.</exception>
    protected override (TCarry Carry, NDArray<float>? Ys) Call(Scope scope, (TCarry Carry, NDArray<float>? Xs) input)
    {
        ArgumentNullException.ThrowIfNull(scope);
        (TCarry carry, NDArray<float>? xs) = input;
        NDArray<float>? front = xs is null ? null : Axes.Move(xs, Options.InAxes, 0);
        long length = ScanLength(Options, front);

        if (Body is CellStep step && carry is RnnCarry rnnCarry && front is not null)
        {
            RecurrentCell cell = step.Cell;
            var run = SequenceScan.Run(scope, cell, Options, rnnCarry, front, new SequenceHooks { Cancellation = scope.CancellationToken });
            return ((TCarry)(object)run.Final, Axes.Move(run.Ys, 0, Options.OutAxes));
        }

        string[] streams = [.. Options.SplitRngs.Keys];
        string[] path = ["params", .. scope.Path];
        if (scope.IsInitializing)
        {
            // Flax's init-mode pass: the body once, at a transform level, to make the broadcast params; its outputs are dropped.
            string[] before = BroadcastVariables.NamesAt(scope.Store, path);
            using (TraceContext.Enter())
            {
                Body.Invoke(scope.Lifted(Body.ClassName, streams), (carry, FirstSlice(front)));
            }

            BroadcastVariables.Publish(scope.Store, path, before);
        }

        (TCarry final, NDArray<float>? ys) = front is null
            ? Lax.Scan(c => Body.Invoke(scope.Lifted(Body.ClassName, streams), (c, null)), carry, length, Options.Reverse, scope.CancellationToken)
            : Lax.Scan((c, x) => Body.Invoke(scope.Lifted(Body.ClassName, streams), (c, x)), carry, front, Options.Reverse, scope.CancellationToken);
        return (final, ys is null ? null : Axes.Move(ys, 0, Options.OutAxes));
    }

    /// <summary>flax/core/lift.py <c>scan</c>'s <c>find_length</c>: from the scanned input, else <see cref="ScanOptions.Length"/>.</summary>
    internal static long ScanLength(ScanOptions options, NDArray<float>? front)
    {
        if (front is null)
        {
            return options.Length ?? throw new ArgumentException("length should be specified manually.", nameof(options));
        }

        long found = front.Shape[0];
        if (options.Length is { } given && given != found)
        {
            throw new ArgumentException($"Inconsistent scan lengths: {{{found}, {given}}}", nameof(options));
        }

        return found;
    }

    // The init-mode pass sees abstract shapes only; any slice of the right shape makes the same params.
    private static NDArray<float>? FirstSlice(NDArray<float>? front)
    {
        if (front is null)
        {
            return null;
        }

        var slice = new NDArray<float>(new Shape(front.Shape.Dimensions[1..]));
        if (front.Shape[0] > 0)
        {
            front.Span[..slice.Length].CopyTo(slice.Span);
        }

        return slice;
    }
}
