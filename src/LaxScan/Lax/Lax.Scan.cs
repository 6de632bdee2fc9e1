using System.Reflection;

namespace LaxScan;

/// <summary>
/// <c>jax.lax</c>'s control flow, the part LaxScan needs: <see cref="Scan{TCarry}(Func{TCarry, ValueTuple{TCarry, NDArray{float}}}, TCarry, long, bool, CancellationToken)"/>.
/// </summary>
public static partial class Lax
{
    /// <summary>
    /// <c>jax.lax.scan(body, init, length=length, reverse=reverse)</c> with no scanned input: runs
    /// <c>(carry, y) = body(carry)</c> <paramref name="length"/> times and returns the final carry and the ys stacked
    /// along a new leading axis (<see langword="null"/> when the body returns no y, JAX's <c>None</c>).
    /// </summary>
    /// <typeparam name="TCarry">
    /// The carry: an <see cref="NDArray{T}"/>, or a tuple, list or string-keyed dictionary of carries (any dictionary
    /// type: <c>Dictionary&lt;string, NDArray&lt;float&gt;&gt;</c>, <c>ImmutableDictionary</c>, any
    /// <c>IReadOnlyDictionary&lt;string, T&gt;</c>), as a JAX pytree.
    /// </typeparam>
    /// <param name="body">The loop body. It must return a carry with exactly the structure, shapes and dtypes it was given.</param>
    /// <param name="init">The initial carry.</param>
    /// <param name="length">How many steps; zero or more.</param>
    /// <param name="reverse">Whether to run the steps from last to first (ys keep their step positions).</param>
    /// <param name="cancellationToken">Checked before each step (so also for <paramref name="length"/> 0).</param>
    /// <returns>The final carry and the stacked ys (shape <c>(length, *y.shape)</c>) or <see langword="null"/>.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    /// <exception cref="ArgumentException">The carry holds something other than arrays, tuples, lists and string-keyed dictionaries.</exception>
    /// <exception cref="ScanCarryTypeError">The body's output carry differs in structure, shape or dtype from its input carry.</exception>
    /// <exception cref="InvalidOperationException">The body returned ys of different shapes, or some steps gave a y and others none.</exception>
    /// <remarks>
    /// The body runs inside a transform level (<see cref="TraceContext"/>), so a Flax-style scope refuses to create
    /// params or submodules there: create them outside the body and close over them, as in JAX. JAX checks the carry
    /// types once, when it traces the body; this runs the body, so it checks every step it runs (none when
    /// <paramref name="length"/> is 0).
    /// </remarks>
    public static (TCarry Carry, NDArray<float>? Ys) Scan<TCarry>(Func<TCarry, (TCarry Carry, NDArray<float>? Y)> body, TCarry init, long length, bool reverse = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (length < 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange($"scan length must be >= 0, but was given {length}", nameof(length));
        }

        return Run(body.Method, (carry, _) => body(carry), init, length, reverse, cancellationToken);
    }

    /// <summary>
    /// <c>jax.lax.scan(body, init, xs, reverse=reverse)</c>: scans over the leading axis of <paramref name="xs"/>,
    /// running <c>(carry, y) = body(carry, xs[i])</c>.
    /// </summary>
    /// <param name="body">The loop body, given the carry and one slice of <paramref name="xs"/> (a view valid during the call only).</param>
    /// <param name="init">The initial carry.</param>
    /// <param name="xs">The scanned input, rank at least 1; its leading axis is the number of steps.</param>
    /// <param name="reverse">Whether to scan from the last slice to the first.</param>
    /// <param name="cancellationToken">Checked before each step (so also for an empty xs).</param>
    /// <returns>The final carry and the stacked ys, or <see langword="null"/> when the body returns none.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    /// <exception cref="ArgumentException"><paramref name="xs"/> has rank 0.</exception>
    /// <exception cref="ScanCarryTypeError">The body's output carry differs in structure, shape or dtype from its input carry.</exception>
    public static (TCarry Carry, NDArray<float>? Ys) Scan<TCarry>(Func<TCarry, NDArray<float>, (TCarry Carry, NDArray<float>? Y)> body, TCarry init, NDArray<float> xs, bool reverse = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(xs);
        if (xs.Shape.Rank == 0)
        {
            ThrowHelper.ThrowArgument($"scan got a value with no leading axis to scan over: xs has shape {xs.Shape}", nameof(xs));
        }

        var sliceShape = new Shape(xs.Shape.Dimensions[1..]);
        int sliceLength = (int)sliceShape.Size;
        var slice = new NDArray<float>(sliceShape);
        return Run(
            body.Method,
            (carry, step) =>
            {
                xs.Span.Slice((int)(step * sliceLength), sliceLength).CopyTo(slice.Span);
                return body(carry, slice);
            },
            init,
            xs.Shape[0],
            reverse,
            cancellationToken);
    }

    private static (TCarry, NDArray<float>?) Run<TCarry>(MethodInfo bodyMethod, Func<TCarry, long, (TCarry, NDArray<float>?)> step, TCarry init, long length, bool reverse, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        List<(string Path, INDArray Leaf)> inLeaves = CarryTree.Flatten(init, out string inStructure);
        string carryName = bodyMethod.GetParameters() is [{ Name: { Length: > 0 } name }, ..] ? name : string.Empty;

        TCarry carry = init;
        NDArray<float>? ys = null;
        Shape? yShape = null;

        // One level around every step: the body runs inside it, as JAX traces it inside the scan. Entered once, not
        // per step, since setting the level (an AsyncLocal) costs an allocation.
        using TraceContext.Level level = TraceContext.Enter();
        for (long i = 0; i < length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long position = reverse ? length - 1 - i : i;
            (TCarry next, NDArray<float>? y) = step(carry, position);
            CheckCarry(carryName, inLeaves, inStructure, next);
            if (i == 0)
            {
                yShape = y?.Shape;
                if (y is not null)
                {
                    var stacked = new Shape([checked((int)length), .. y.Shape.Dimensions]);
                    ys = new NDArray<float>(stacked);
                }
            }
            else if ((y is null) != (yShape is null) || (y is not null && y.Shape != yShape))
            {
                throw new InvalidOperationException(
                    $"scan body returned y of shape {y?.Shape.ToString() ?? "None"} at step {position} but {yShape?.ToString() ?? "None"} at the first step; every step must return ys of one shape to stack");
            }

            if (y is not null)
            {
                y.Span.CopyTo(ys!.Span.Slice((int)(position * y.Length), y.Length));
            }

            carry = next;
        }

        return (carry, ys);
    }

    /// <summary>
    /// <c>lax.scan</c> for a body that keeps its carry in buffers of its own and returns no ys, such as a recurrence
    /// whose two state buffers take turns: the same transform level as <see cref="Scan{TCarry}(Func{TCarry, ValueTuple{TCarry, NDArray{float}}}, TCarry, long, bool, CancellationToken)"/>,
    /// with no delegate, tuple or carry check per step (the body's buffers cannot change shape). The body is a struct,
    /// so its step is compiled into the loop.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    internal static void ScanInPlace<TBody>(ref TBody body, long length)
        where TBody : struct, IScanBody, allows ref struct
    {
        using TraceContext.Level level = TraceContext.Enter();
        for (long i = 0; i < length; i++)
        {
            body.Step(i);
        }
    }

    private static void CheckCarry<TCarry>(string carryName, List<(string Path, INDArray Leaf)> inLeaves, string inStructure, TCarry output)
    {
        // The common case, an array carry that kept its shape, costs two comparisons.
        if (inLeaves.Count == 1 && inLeaves[0].Path.Length == 0 && output is INDArray single
            && single.DType == inLeaves[0].Leaf.DType && single.Shape == inLeaves[0].Leaf.Shape)
        {
            return;
        }

        List<(string Path, INDArray Leaf)> outLeaves = CarryTree.Flatten(output, out string outStructure);
        if (outStructure != inStructure)
        {
            throw new ScanCarryTypeError(
                "scan body function carry input and carry output must have the same pytree structure, but they differ:\n\n"
                + $"the input tree structure is:\n{inStructure}\n\nthe output tree structure is:\n{outStructure}\n\n"
                + "Revise the function so that the carry output has the same pytree structure as the carry input.");
        }

        var diffs = new List<string>();
        for (int i = 0; i < inLeaves.Count; i++)
        {
            INDArray a = inLeaves[i].Leaf;
            INDArray b = outLeaves[i].Leaf;
            bool dtypeMismatch = a.DType != b.DType;
            bool shapeMismatch = a.Shape != b.Shape;
            if (dtypeMismatch || shapeMismatch)
            {
                string path = inLeaves[i].Path;
                string component = carryName.Length > 0
                    ? (path.Length > 0 ? $"the input carry component {carryName}{path}" : $"the input carry {carryName}")
                    : (path.Length > 0 ? $"the input carry at path {path}" : "the input carry");
                // JAX's core.aval_mismatch_extra joins the reasons with ", and ".
                string why = (dtypeMismatch ? "the dtypes do not match" : string.Empty)
                    + (dtypeMismatch && shapeMismatch ? ", and " : string.Empty)
                    + (shapeMismatch ? "the shapes do not match" : string.Empty);
                diffs.Add($"{component} has type {a.TypeString} but the corresponding output carry component has type {b.TypeString}, so {why}");
            }
        }

        if (diffs.Count == 0)
        {
            return;
        }

        string differences = diffs.Count == 1
            ? $"{char.ToUpperInvariant(diffs[0][0])}{diffs[0][1..]}.\n"
            : string.Join("\n", diffs.Take(diffs.Count - 1).Select(d => $"  * {d};\n")) + $"  * {diffs[^1]}.\n";
        throw new ScanCarryTypeError(
            "scan body function carry input and carry output must have equal types, but they differ:\n\n"
            + $"{differences}\n"
            + "Revise the function so that all output types match the corresponding input types.");
    }
}

/// <summary>A scan body for <see cref="Lax.ScanInPlace{TBody}(ref TBody, long)"/>: one step, carry kept in place.</summary>
internal interface IScanBody
{
    /// <summary>Runs step <paramref name="step"/> (0-based) on the carry the body holds.</summary>
    void Step(long step);
}
