using System.Text;

namespace LaxScan.Peers;

/// <summary>
/// Just enough of the protobuf wire format to write an ONNX ModelProto by hand: the recurrence
/// <c>h = tanh(h @ W)</c> unrolled for a given number of steps, with h (1, H) and W (H, H) as graph inputs.
/// Field numbers are onnx.proto's (ModelProto, GraphProto, NodeProto, ValueInfoProto, TypeProto, TensorShapeProto).
/// </summary>
internal static class OnnxModel
{
    public static byte[] Recurrence(int hidden, int steps)
    {
        var graph = new ProtoWriter();
        string h = "h";
        for (int s = 0; s < steps; s++)
        {
            string m = $"m{s}";
            string t = s == steps - 1 ? "y" : $"t{s}";
            graph.Message(1, Node("MatMul", $"matmul{s}", [h, "W"], [m]));
            graph.Message(1, Node("Tanh", $"tanh{s}", [m], [t]));
            h = t;
        }

        graph.String(2, $"recurrence_{hidden}x{steps}");
        graph.Message(11, TensorInfo("h", 1, hidden));
        graph.Message(11, TensorInfo("W", hidden, hidden));
        graph.Message(12, TensorInfo("y", 1, hidden));

        var opset = new ProtoWriter();
        opset.String(1, string.Empty);
        opset.Varint(2, 17);

        var model = new ProtoWriter();
        model.Varint(1, 8);                  // ir_version
        model.String(2, "LaxScan.Peers");     // producer_name
        model.Message(7, graph);              // graph
        model.Message(8, opset);              // opset_import
        return model.ToArray();
    }

    private static ProtoWriter Node(string op, string name, string[] inputs, string[] outputs)
    {
        var node = new ProtoWriter();
        foreach (string i in inputs)
        {
            node.String(1, i);
        }

        foreach (string o in outputs)
        {
            node.String(2, o);
        }

        node.String(3, name);
        node.String(4, op);
        return node;
    }

    private static ProtoWriter TensorInfo(string name, params long[] dims)
    {
        var shape = new ProtoWriter();
        foreach (long d in dims)
        {
            var dim = new ProtoWriter();
            dim.Varint(1, d);
            shape.Message(1, dim);
        }

        var tensor = new ProtoWriter();
        tensor.Varint(1, 1);                  // elem_type FLOAT
        tensor.Message(2, shape);
        var type = new ProtoWriter();
        type.Message(1, tensor);              // tensor_type
        var info = new ProtoWriter();
        info.String(1, name);
        info.Message(2, type);
        return info;
    }

    private sealed class ProtoWriter
    {
        private readonly MemoryStream _bytes = new();

        public void Varint(int field, long value)
        {
            Tag(field, 0);
            Raw((ulong)value);
        }

        public void String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

        public void Message(int field, ProtoWriter message) => Bytes(field, message.ToArray());

        public byte[] ToArray() => _bytes.ToArray();

        private void Bytes(int field, byte[] value)
        {
            Tag(field, 2);
            Raw((ulong)value.Length);
            _bytes.Write(value);
        }

        private void Tag(int field, int wire) => Raw(((ulong)field << 3) | (uint)wire);

        private void Raw(ulong v)
        {
            while (v >= 0x80)
            {
                _bytes.WriteByte((byte)(v | 0x80));
                v >>= 7;
            }

            _bytes.WriteByte((byte)v);
        }
    }
}
