using System.Text;

namespace LaxScan.Io;

/// <summary>Shows bytes from a damaged file in messages without letting control characters or megabytes through.</summary>
internal static class NpyText
{
    /// <summary>Printable ASCII as is, everything else as a Python-style escape, cut at <paramref name="max"/> characters.</summary>
    public static string Escape(ReadOnlySpan<byte> bytes, int max = 80)
    {
        var sb = new StringBuilder();
        foreach (byte b in bytes)
        {
            if (sb.Length >= max)
            {
                sb.Append("...");
                break;
            }

            _ = b switch
            {
                (byte)'\n' => sb.Append("\\n"),
                (byte)'\t' => sb.Append("\\t"),
                (byte)'\\' => sb.Append("\\\\"),
                >= 0x20 and < 0x7F => sb.Append((char)b),
                _ => sb.Append($"\\x{b:x2}"),
            };
        }

        return sb.ToString();
    }

    /// <summary>The same for text that came out of a file.</summary>
    public static string Escape(string text, int max = 80)
    {
        var sb = new StringBuilder();
        foreach (char c in text)
        {
            if (sb.Length >= max)
            {
                sb.Append("...");
                break;
            }

            _ = c switch
            {
                '\n' => sb.Append("\\n"),
                '\t' => sb.Append("\\t"),
                '\\' => sb.Append("\\\\"),
                >= ' ' and < '\x7f' => sb.Append(c),
                _ => sb.Append($"\\u{(int)c:x4}"),
            };
        }

        return sb.ToString();
    }
}
