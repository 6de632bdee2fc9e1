using LaxScan.Io;
using LaxScan.Linen;
using LaxScan.Models;

namespace LaxScan.Verification;

/// <summary>
/// <c>mission</c>: the seed's program, <c>LaxScanModule(hidden, T)</c> with eager <c>init</c> then <c>apply</c>.
/// Case fields: <c>mode</c>, <c>hidden</c>, <c>T</c>, <c>xshape</c>, <c>x</c> (bits), <c>seed</c> or <c>key</c>,
/// optional <c>W</c> (bits: apply these variables instead of init, a probe of the dot). Result fields compared:
/// <c>out</c>, <c>W</c> (or <c>W_sha256</c>, the hash of its float32 little-endian bytes), <c>msgpack_hex</c> (<c>flax.serialization.to_bytes</c> of the variables), <c>states</c>
/// (every state, (T + 1, ...)), whichever the result has. Where the harness wrote <c>states_note</c> (its traced scan
/// ended on other bits than <c>apply</c>: XLA compiled the two programs differently), <c>states</c> is compared but
/// informational: it says how XLA compiled a second program, not what the seed's program returns.
/// </summary>
/// <remarks>A batch x (B, H) is informational: JAX computes it as a matrix product, which LaxScan does not promise.</remarks>
internal sealed class MissionCaseHandler : ICaseHandler
{
    public string Kind => "mission";

    public void Check(CaseCheck check)
    {
        BundleCase c = check.Case;
        int hidden = c.Int32("hidden");
        long steps = c.Int64("T");
        int[] xshape = c.Shape("xshape");
        var x = new NDArray<float>(new Shape(xshape), c.Floats("x"));
        var linen = new LinenOptions(c.Mode()) { JaxVersion = check.Version };
        if (xshape.Length == 2)
        {
            check.MarkInformational("a batch x (B, H): JAX computes x @ W as a matrix product, whose order LaxScan does not promise");
        }

        Variables variables;
        if (c.Has("W"))
        {
            var w = new NDArray<float>(new Shape(hidden, hidden), c.Floats("W"));
            variables = Variables.Empty.With("params", Variables.Empty.With("W", w));
        }
        else
        {
            variables = LaxScanFunctions.Params(c.Key(), hidden, new LaxScanOptions { Linen = linen }, check.CancellationToken);
            NDArray<float> w = variables.GetFloat32("params", "W");
            if (check.Truth.Has("W"))
            {
                check.Float32("W", w);
            }

            if (check.Truth.Has("W_sha256"))
            {
                check.Sha256("W_sha256", Float32Bytes(w.Span));
            }

            if (check.Truth.Has("msgpack_hex"))
            {
                check.HexBytes("msgpack_hex", FlaxSerialization.ToBytes(variables));
            }
        }

        float[]? states = null;
        StepObserver? observe = null;
        if (check.Truth.Has("states"))
        {
            int size = x.Length;
            states = new float[checked((int)((steps + 1) * size))];
            observe = (step, state) => state.CopyTo(states.AsSpan(checked((int)(step * size)), size));
        }

        NDArray<float> output = LaxScanFunctions.Apply(variables, x, hidden, steps, new LaxScanOptions { Linen = linen, OnStep = observe }, check.CancellationToken);
        check.Float32("out", output);
        if (states is not null)
        {
            var all = new NDArray<float>(new Shape([(int)(steps + 1), .. xshape]), states);
            if (check.Truth.Has("states_note"))
            {
                check.Float32Informational("states", all, "the harness noted: " + check.Truth.String("states_note"));
            }
            else
            {
                check.Float32("states", all);
            }
        }
    }

    /// <summary>The float32 little-endian bytes of values, in order, as numpy's tobytes() of a '&lt;f4' array.</summary>
    internal static byte[] Float32Bytes(ReadOnlySpan<float> values)
    {
        byte[] bytes = new byte[values.Length * sizeof(float)];
        for (int i = 0; i < values.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        }

        return bytes;
    }
}
