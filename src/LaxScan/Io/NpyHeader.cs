using System.Buffers.Binary;
using System.Text;

namespace LaxScan.Io;

/// <summary>
/// What the header of a <c>.npy</c> file says about its array: the format version, the dtype, the shape and where the
/// data starts. Only headers LaxScan can read are represented: little-endian (or byte-order-free uint8), C order.
/// </summary>
public sealed class NpyHeader
{
    /// <summary>The magic string every .npy file starts with.</summary>
    internal static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Current NumPy aligns the data to 64 bytes so that any dtype can be memory-mapped in place.</summary>
    internal const int Alignment = 64;

    /// <summary>Older NumPy aligned to 16; such files are still around, so the reader accepts this too.</summary>
    internal const int LegacyAlignment = 16;

    /// <summary>Recent NumPy leaves room after the header dict for the first dimension to grow to 21 digits, so the header can be rewritten in place when appending.</summary>
    private const int GrowthAxisMaxDigits = 21;

    internal NpyHeader(int majorVersion, int minorVersion, DType dtype, Shape shape, long dataOffset)
    {
        MajorVersion = majorVersion;
        MinorVersion = minorVersion;
        DType = dtype;
        Shape = shape;
        DataOffset = dataOffset;
        DataLength = shape.Size * dtype.ItemSize();
    }

    /// <summary>The major format version: 1 (16-bit header length), 2 (32-bit) or 3 (32-bit, UTF-8 header).</summary>
    public int MajorVersion { get; }

    /// <summary>The minor format version, always 0.</summary>
    public int MinorVersion { get; }

    /// <summary>The element type.</summary>
    public DType DType { get; }

    /// <summary>The shape, in C (row-major) order.</summary>
    public Shape Shape { get; }

    /// <summary>The offset of the data from the start of the file: the length of the magic string, version, length field and header.</summary>
    public long DataOffset { get; }

    /// <summary>The number of data bytes the header announces: the shape's element count times the item size.</summary>
    public long DataLength { get; }

    /// <summary>
    /// The bytes <c>np.save</c> writes before the data of an array of this dtype and shape: the magic string, the version,
    /// the header length and the header dict, padded with spaces and a newline so the data starts at a multiple of 64.
    /// Version 1.0 unless the header exceeds its 16-bit length field, then 2.0, as numpy chooses.
    /// </summary>
    /// <param name="dtype">The element type.</param>
    /// <param name="shape">The shape.</param>
    /// <returns>The preamble, byte for byte as NumPy 1.24 writes it.</returns>
    internal static byte[] Format(DType dtype, Shape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var dict = new StringBuilder();
        dict.Append("{'descr': '").Append(NpyDescr.Of(dtype)).Append("', 'fortran_order': False, 'shape': ").Append(shape.ToString()).Append(", }");
        if (shape.Rank > 0)
        {
            int digits = shape.Dimensions[0].ToString(System.Globalization.CultureInfo.InvariantCulture).Length;
            dict.Append(' ', GrowthAxisMaxDigits - digits);
        }

        byte[] text = Encoding.ASCII.GetBytes(dict.ToString());
        return Wrap(text, 1) ?? Wrap(text, 2)!;
    }

    /// <summary>numpy's <c>_wrap_header</c>: pads to the alignment (a full 64 spaces when already aligned, as numpy does), or null if the length does not fit the version's field.</summary>
    private static byte[]? Wrap(byte[] text, int major)
    {
        int lengthField = major == 1 ? 2 : 4;
        int prefix = Magic.Length + 2 + lengthField;
        long withNewline = text.Length + 1L;
        long pad = Alignment - ((prefix + withNewline) % Alignment);
        long headerLength = withNewline + pad;
        if (major == 1 && headerLength > ushort.MaxValue)
        {
            return null;
        }

        var bytes = new byte[prefix + headerLength];
        Magic.CopyTo(bytes);
        bytes[6] = (byte)major;
        bytes[7] = 0;
        if (major == 1)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)headerLength);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), checked((uint)headerLength));
        }

        text.CopyTo(bytes, prefix);
        bytes.AsSpan(prefix + text.Length, (int)pad).Fill((byte)' ');
        bytes[^1] = (byte)'\n';
        return bytes;
    }
}
