using System.Collections;
using System.Runtime.CompilerServices;

namespace LaxScan.Linen.Recurrent;

/// <summary>
/// The carry of a Flax recurrent cell: <c>h</c> alone for <c>SimpleCell</c>, <c>GRUCell</c> and <c>MGUCell</c>, the
/// pair <c>(c, h)</c> in that order for <c>LSTMCell</c> and <c>OptimizedLSTMCell</c>. Each part has shape
/// <c>(*batch, features)</c>. A tuple for <see cref="Lax.Scan{TCarry}(Func{TCarry, ValueTuple{TCarry, NDArray{float}}}, TCarry, long, bool, CancellationToken)"/>'s carry checks.
/// </summary>
public sealed class RnnCarry : IReadOnlyList<NDArray<float>>, ITuple
{
    private readonly NDArray<float>[] _parts;

    /// <summary>Creates a carry from its parts, in Flax's order.</summary>
    /// <exception cref="ArgumentException">No part, or the parts differ in shape.</exception>
    public RnnCarry(params NDArray<float>[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Length == 0)
        {
            ThrowHelper.ThrowArgument("a carry has at least one part", nameof(parts));
        }

        foreach (NDArray<float> part in parts)
        {
            ArgumentNullException.ThrowIfNull(part, nameof(parts));
            if (part.Shape != parts[0].Shape)
            {
                ThrowHelper.ThrowArgument($"the parts of a carry share one shape, but got {parts[0].Shape} and {part.Shape}", nameof(parts));
            }
        }

        _parts = [.. parts];
    }

    /// <summary>The hidden state <c>h</c>: the only part, or the second of an LSTM's <c>(c, h)</c>.</summary>
    public NDArray<float> H => _parts[^1];

    /// <summary>The shape every part has, <c>(*batch, features)</c>.</summary>
    public Shape Shape => _parts[0].Shape;

    /// <inheritdoc />
    public int Count => _parts.Length;

    int ITuple.Length => _parts.Length;

    /// <inheritdoc />
    public NDArray<float> this[int index] => _parts[index];

    object? ITuple.this[int index] => _parts[index];

    /// <inheritdoc />
    public IEnumerator<NDArray<float>> GetEnumerator() => ((IEnumerable<NDArray<float>>)_parts).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
