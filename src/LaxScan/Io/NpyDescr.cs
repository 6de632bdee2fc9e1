namespace LaxScan.Io;

/// <summary>Maps NumPy's dtype strings (<c>descr</c>, as in <c>'&lt;f4'</c>) to LaxScan dtypes and explains the ones it refuses.</summary>
internal static class NpyDescr
{
    /// <summary>What the readers accept, for messages.</summary>
    public const string Accepted = "'<f4' (float32), '|u1' or '<u1' (uint8), '<u2' (uint16), '<u4' (uint32) and '<u8' (uint64)";

    /// <summary>The descr numpy writes for a dtype; uint8 has no byte order, so numpy marks it '|'.</summary>
    public static string Of(DType dtype) => dtype switch
    {
        DType.Float32 => "<f4",
        DType.UInt8 => "|u1",
        DType.UInt16 => "<u2",
        DType.UInt32 => "<u4",
        DType.UInt64 => "<u8",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype"),
    };

    /// <summary>The LaxScan dtype of a descr, or null when LaxScan does not read it.</summary>
    public static DType? TryParse(string descr) => descr switch
    {
        "<f4" => DType.Float32,
        "<u1" or "|u1" => DType.UInt8,
        "<u2" => DType.UInt16,
        "<u4" => DType.UInt32,
        "<u8" => DType.UInt64,
        _ => null,
    };

    /// <summary>Why a descr is refused, naming what it is when it is a simple NumPy type, so the user knows what to convert.</summary>
    public static string Unsupported(string descr, DType? required)
    {
        string quoted = Quote(descr);
        string wanted = required is DType r
            ? $"LaxScan needs {r.Name()} ('{Of(r)}') here"
            : $"LaxScan reads {Accepted}";
        string? name = Describe(descr);
        if (name is null)
        {
            return $"unsupported dtype {quoted}; {wanted}";
        }

        if (descr[0] == '>')
        {
            string little = "<" + descr[1..];
            return $"the data is big-endian {name} ({quoted}); {wanted}, little-endian: save it with a.astype('{little}')";
        }

        string convert = required is DType t ? $": save it with a.astype('{Of(t)}')" : string.Empty;
        return $"the data is {name} ({quoted}); {wanted}{convert}";
    }

    /// <summary>The message for a supported dtype that is not the one the caller asked for.</summary>
    public static string Mismatch(string descr, DType found, DType required) =>
        $"the data is {found.Name()} ({Quote(descr)}) but {required.Name()} ('{Of(required)}') is required";

    /// <summary>NumPy's name for a simple descr such as '&gt;f8', or null when it is not one.</summary>
    private static string? Describe(string descr)
    {
        if (descr.Length < 3 || descr[0] is not ('<' or '>' or '|' or '='))
        {
            return null;
        }

        string code = descr[1..];
        return code switch
        {
            "f2" => "float16",
            "f4" => "float32",
            "f8" => "float64",
            "f16" => "float128",
            "i1" => "int8",
            "i2" => "int16",
            "i4" => "int32",
            "i8" => "int64",
            "u1" => "uint8",
            "u2" => "uint16",
            "u4" => "uint32",
            "u8" => "uint64",
            "b1" => "bool",
            "c8" => "complex64",
            "c16" => "complex128",
            _ => null,
        };
    }

    private static string Quote(string descr) => "'" + NpyText.Escape(descr, 40) + "'";
}
