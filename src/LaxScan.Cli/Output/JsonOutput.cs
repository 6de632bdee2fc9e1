using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using LaxScan.Linen;

namespace LaxScan.Cli.Output;

/// <summary>
/// Writes results as compact JSON straight into a <see cref="TextWriter"/>, one element at a time, so an output of
/// any size is streamed and never held as one string.
/// </summary>
/// <remarks>
/// Floats are float32 in .NET's shortest round-trip form (<c>"R"</c>, invariant culture): <c>0.5</c>, <c>-0</c>,
/// <c>1E-05</c>, <c>3.4028235E+38</c>. The exponent form is valid JSON as it stands (an <c>E</c>, a sign and
/// digits), so it is kept rather than rewritten. NaN and the infinities have no JSON number, so they are the strings
/// <c>"NaN"</c>, <c>"Infinity"</c> and <c>"-Infinity"</c>.
/// </remarks>
internal sealed class JsonOutput(TextWriter writer, CancellationToken cancellationToken = default)
{
    // How many elements are written between cancellation checks: a check is a field read, and 4096 elements take
    // well under a millisecond, so Ctrl-C stops a multi-gigabyte document at once.
    private const int CheckInterval = 4096;

    private readonly TextWriter _writer = writer;
    private readonly CancellationToken _cancellationToken = cancellationToken;

    /// <summary>
    /// Writes an array: rank r as r nested arrays, rank 0 as a bare number; float32 elements as floats, unsigned
    /// integers as JSON integers.
    /// </summary>
    public void WriteArray<T>(NDArray<T> array)
        where T : unmanaged, ISpanFormattable
    {
        if (typeof(T) == typeof(float))
        {
            WriteNested<float, FloatFormat>(array.Shape.Dimensions, MemoryMarshal.Cast<T, float>(array.Span));
        }
        else
        {
            WriteNested<T, IntegerFormat<T>>(array.Shape.Dimensions, array.Span);
        }
    }

    /// <summary>
    /// Writes a Flax variables tree as nested JSON objects, <c>{"params":{"W":[[...]]}}</c>, in the tree's order;
    /// each array as <see cref="WriteArray{T}(NDArray{T})"/> writes it.
    /// </summary>
    public void WriteVariables(Variables variables) => WriteTree(variables, WriteLeaf);

    private void WriteTree(Variables variables, Action<INDArray> writeLeaf)
    {
        _writer.Write('{');
        bool first = true;
        foreach (VariableEntry entry in variables)
        {
            if (!first)
            {
                _writer.Write(',');
            }

            first = false;
            _writer.Write(JsonSerializer.Serialize(entry.Key, CliJsonContext.Default.String));
            _writer.Write(':');
            if (entry.Dict is { } dict)
            {
                WriteTree(dict, writeLeaf);
            }
            else
            {
                writeLeaf(entry.Leaf!);
            }
        }

        _writer.Write('}');
    }

    private void WriteTypeMembers(INDArray array)
    {
        _writer.Write("\"dtype\":");
        _writer.Write(JsonSerializer.Serialize(array.DType.Name(), CliJsonContext.Default.String));
        _writer.Write(",\"shape\":[");
        _writer.Write(string.Join(',', array.Shape.Dimensions.ToArray()));
        _writer.Write(']');
    }

    /// <summary>
    /// Writes what <c>--quiet</c> prints for an array written to <paramref name="path"/>:
    /// <c>{"out":"y.npy","dtype":"float32","shape":[2,3]}</c>.
    /// </summary>
    public void WriteSummary(string path, INDArray array)
    {
        _writer.Write("{\"out\":");
        _writer.Write(JsonSerializer.Serialize(path, CliJsonContext.Default.String));
        _writer.Write(',');
        WriteTypeMembers(array);
        _writer.Write('}');
    }

    /// <summary>
    /// Writes what <c>--quiet</c> prints for variables written to <paramref name="path"/>: the tree with each array's
    /// dtype and shape in place of its values, <c>{"out":"v.msgpack","variables":{"params":{"W":{"dtype":"float32","shape":[4,4]}}}}</c>.
    /// </summary>
    public void WriteSummary(string path, Variables variables)
    {
        _writer.Write("{\"out\":");
        _writer.Write(JsonSerializer.Serialize(path, CliJsonContext.Default.String));
        _writer.Write(",\"variables\":");
        WriteTree(variables, leaf =>
        {
            _writer.Write('{');
            WriteTypeMembers(leaf);
            _writer.Write('}');
        });
        _writer.Write('}');
    }

    /// <summary>Ends the document: the contract's one newline after the JSON.</summary>
    public void End()
    {
        _writer.Write('\n');
        _writer.Flush();
    }

    /// <summary>The JSON text of one float32, as <see cref="WriteArray{T}(NDArray{T})"/> writes it.</summary>
    public static string Format(float value)
    {
        Span<char> buffer = stackalloc char[32];
        return new string(buffer[..FormatFloat(value, buffer)]);
    }

    private static int FormatFloat(float value, Span<char> buffer)
    {
        string? special = float.IsNaN(value) ? "\"NaN\""
            : float.IsPositiveInfinity(value) ? "\"Infinity\""
            : float.IsNegativeInfinity(value) ? "\"-Infinity\""
            : null;
        if (special is not null)
        {
            special.CopyTo(buffer);
            return special.Length;
        }

        // "R" on float is the shortest text that parses back to the same float32, and prints -0 for negative zero.
        value.TryFormat(buffer, out int written, "R", CultureInfo.InvariantCulture);
        return written;
    }

    private void WriteLeaf(INDArray leaf)
    {
        switch (leaf)
        {
            case NDArray<float> a: WriteArray(a); break;
            case NDArray<uint> a: WriteArray(a); break;
            case NDArray<byte> a: WriteArray(a); break;
            case NDArray<ushort> a: WriteArray(a); break;
            case NDArray<ulong> a: WriteArray(a); break;
            default: throw new NotSupportedException($"cannot print a variable of type {leaf.TypeString}");
        }
    }

    private void WriteInteger<T>(T value)
        where T : ISpanFormattable
    {
        Span<char> buffer = stackalloc char[24];
        value.TryFormat(buffer, out int written, default, CultureInfo.InvariantCulture);
        _writer.Write(buffer[..written]);
    }

    private void WriteNested<T, TFormat>(ReadOnlySpan<int> dimensions, ReadOnlySpan<T> data)
        where TFormat : struct, IElementFormat<T>
    {
        if (dimensions.Length == 0)
        {
            TFormat.Write(this, data[0]);
            return;
        }

        _writer.Write('[');
        int extent = dimensions[0];
        ReadOnlySpan<int> inner = dimensions[1..];
        if (inner.IsEmpty)
        {
            for (int i = 0; i < extent; i++)
            {
                if (i > 0)
                {
                    _writer.Write(',');
                }

                if (i % CheckInterval == 0)
                {
                    _cancellationToken.ThrowIfCancellationRequested();
                }

                TFormat.Write(this, data[i]);
            }
        }
        else
        {
            int stride = 1;
            foreach (int d in inner)
            {
                stride *= d;
            }

            for (int i = 0; i < extent; i++)
            {
                if (i > 0)
                {
                    _writer.Write(',');
                }

                // Rows shorter than the interval (a (10^8, 2) array) would otherwise never reach a check.
                _cancellationToken.ThrowIfCancellationRequested();
                WriteNested<T, TFormat>(inner, data.Slice(i * stride, stride));
            }
        }

        _writer.Write(']');
    }

    // Static-abstract formatters so the nested walk is one generic method with no delegate call per element.
    private interface IElementFormat<T>
    {
        static abstract void Write(JsonOutput output, T value);
    }

    private readonly struct FloatFormat : IElementFormat<float>
    {
        public static void Write(JsonOutput output, float value)
        {
            Span<char> buffer = stackalloc char[32];
            output._writer.Write(buffer[..FormatFloat(value, buffer)]);
        }
    }

    private readonly struct IntegerFormat<T> : IElementFormat<T>
        where T : ISpanFormattable
    {
        public static void Write(JsonOutput output, T value) => output.WriteInteger(value);
    }
}
