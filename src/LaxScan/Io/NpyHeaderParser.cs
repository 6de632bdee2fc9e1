using System.Text;

namespace LaxScan.Io;

/// <summary>The three fields of a <c>.npy</c> header as written, before LaxScan decides whether it can read them.</summary>
internal readonly record struct NpyHeaderFields(string Descr, bool FortranOrder, int[] Dimensions);

/// <summary>
/// Parses the header of a <c>.npy</c> file: a Python dict literal such as
/// <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (3, 4), }</c>, padded with spaces and ending in a newline.
/// </summary>
/// <remarks>
/// NumPy reads the header with <c>ast.literal_eval</c>, which would run a parser for all of Python's literals on bytes
/// from an untrusted file. This accepts only the subset a header needs (strings, True/False, a tuple of non-negative
/// decimal integers) and reports the first character that leaves it, so a damaged file fails with a precise message.
/// </remarks>
internal ref struct NpyHeaderParser
{
    private const string KeysRule = "a .npy header has exactly the keys 'descr', 'fortran_order' and 'shape'";

    private readonly ReadOnlySpan<byte> _text;
    private readonly string _source;
    private int _pos;
    private int _end;

    private NpyHeaderParser(ReadOnlySpan<byte> text, string source)
    {
        _text = text;
        _source = source;
    }

    /// <summary>Parses the header bytes (everything after the length field, up to and including the final newline).</summary>
    /// <exception cref="NpyFormatException">The header is not a well-formed .npy header dict.</exception>
    public static NpyHeaderFields Parse(ReadOnlySpan<byte> header, string source) => new NpyHeaderParser(header, source).ParseDict();

    private NpyHeaderFields ParseDict()
    {
        if (_text.Length == 0 || _text[^1] != (byte)'\n')
        {
            throw Error(NpyErrorKind.BadHeader, $"the header does not end with a newline, so the header length is wrong or the file is damaged; the header is '{NpyText.Escape(_text)}'");
        }

        // The padding is spaces before the newline; the dict must end where the padding starts.
        _end = _text.Length - 1;
        while (_end > 0 && _text[_end - 1] == (byte)' ')
        {
            _end--;
        }

        string? descr = null;
        bool? fortran = null;
        int[]? dims = null;

        Expect('{', "'{' opening the header dict");
        SkipSpace();
        while (Peek() != '}')
        {
            int keyAt = _pos;
            string key = ParseString("a quoted key");
            SkipSpace();
            Expect(':', "':' after a key");
            SkipSpace();
            bool duplicate = false;
            switch (key)
            {
                case "descr":
                    duplicate = descr is not null;
                    descr = ParseDescr();
                    break;
                case "fortran_order":
                    duplicate = fortran is not null;
                    fortran = ParseBool();
                    break;
                case "shape":
                    duplicate = dims is not null;
                    dims = ParseShape();
                    break;
                default:
                    _pos = keyAt;
                    throw Error(NpyErrorKind.BadHeader, $"unexpected key '{NpyText.Escape(key, 40)}' in the header; {KeysRule}; the header is '{Shown()}'");
            }

            if (duplicate)
            {
                throw Error(NpyErrorKind.BadHeader, $"the key '{key}' appears twice in the header; {KeysRule}; the header is '{Shown()}'");
            }

            SkipSpace();
            if (Peek() == ',')
            {
                _pos++;
                SkipSpace();
            }
            else if (Peek() != '}')
            {
                throw Unexpected("',' or '}' after a value");
            }
        }

        _pos++;
        if (_pos != _end)
        {
            throw Unexpected("only spaces and a newline after the closing '}'");
        }

        string? missing = descr is null ? "descr" : fortran is null ? "fortran_order" : dims is null ? "shape" : null;
        if (missing is not null)
        {
            throw Error(NpyErrorKind.BadHeader, $"the header has no '{missing}' key; {KeysRule}; the header is '{Shown()}'");
        }

        return new NpyHeaderFields(descr!, fortran!.Value, dims!);
    }

    private string ParseDescr()
    {
        if (Peek() is '[' or '(')
        {
            throw Error(NpyErrorKind.UnsupportedDType, $"the dtype is a structured or sub-array dtype; LaxScan reads {NpyDescr.Accepted}; the header is '{Shown()}'");
        }

        return ParseString("a quoted dtype string such as '<f4' after 'descr'");
    }

    private bool ParseBool()
    {
        int start = _pos;
        while (_pos < _end && (char.IsAsciiLetterOrDigit((char)_text[_pos]) || _text[_pos] == (byte)'_'))
        {
            _pos++;
        }

        ReadOnlySpan<byte> word = _text[start.._pos];
        if (word.SequenceEqual("True"u8))
        {
            return true;
        }

        if (word.SequenceEqual("False"u8))
        {
            return false;
        }

        _pos = start;
        throw Unexpected("True or False after 'fortran_order'");
    }

    private int[] ParseShape()
    {
        Expect('(', "a tuple such as (3, 4) after 'shape'");
        SkipSpace();
        var dims = new List<int>();
        if (Peek() == ')')
        {
            _pos++;
            return [];
        }

        while (true)
        {
            dims.Add(ParseDimension());
            SkipSpace();
            if (Peek() == ',')
            {
                _pos++;
                SkipSpace();
                if (Peek() == ')')
                {
                    _pos++;
                    return [.. dims];
                }

                continue;
            }

            if (Peek() == ')')
            {
                if (dims.Count == 1)
                {
                    // In Python (3) is the integer 3; only (3,) is a tuple, and numpy refuses a shape that is not a tuple.
                    throw Error(NpyErrorKind.BadHeader, $"the shape ({dims[0]}) is an integer, not a tuple; a 1-D shape is written ({dims[0]},); the header is '{Shown()}'");
                }

                _pos++;
                return [.. dims];
            }

            throw Unexpected("',' or ')' in the shape tuple");
        }
    }

    private int ParseDimension()
    {
        int start = _pos;
        bool negative = Peek() == '-';
        if (negative)
        {
            _pos++;
        }

        int digitsAt = _pos;
        while (_pos < _end && char.IsAsciiDigit((char)_text[_pos]))
        {
            _pos++;
        }

        int digits = _pos - digitsAt;
        if (digits == 0)
        {
            _pos = digitsAt;
            throw Unexpected("a non-negative integer in the shape tuple");
        }

        if (digits > 1 && _text[digitsAt] == (byte)'0')
        {
            // Python rejects 007 as a literal; so does numpy's reader.
            _pos = digitsAt;
            throw Unexpected("an integer without leading zeros in the shape tuple");
        }

        string number = Encoding.ASCII.GetString(_text[start.._pos]);
        if (negative)
        {
            throw Error(NpyErrorKind.BadShape, $"the shape has a negative dimension {NpyText.Escape(number, 30)}; every dimension must be >= 0; the header is '{Shown()}'");
        }

        if (digits > 10 || long.Parse(number, System.Globalization.CultureInfo.InvariantCulture) > int.MaxValue)
        {
            throw Error(NpyErrorKind.BadShape, $"the shape has a dimension {NpyText.Escape(number, 30)}, larger than {int.MaxValue}, the most LaxScan supports per axis; the header is '{Shown()}'");
        }

        return int.Parse(number, System.Globalization.CultureInfo.InvariantCulture);
    }

    private string ParseString(string expected)
    {
        char quote = Peek();
        if (quote is not ('\'' or '"'))
        {
            throw Unexpected(expected);
        }

        int start = ++_pos;
        while (_pos < _end && _text[_pos] != (byte)quote)
        {
            byte b = _text[_pos];
            if (b is < 0x20 or >= 0x7F or (byte)'\\')
            {
                // Escapes and non-ASCII never occur in a header numpy wrote, so they only come from damage.
                throw Unexpected($"a plain ASCII string (closing {quote})");
            }

            _pos++;
        }

        if (_pos == _end)
        {
            _pos = start - 1;
            throw Error(NpyErrorKind.BadHeader, $"malformed header: the string starting at character {_pos} is not closed; the header is '{Shown()}'");
        }

        string value = Encoding.ASCII.GetString(_text[start.._pos]);
        _pos++;
        return value;
    }

    private void Expect(char c, string expected)
    {
        if (Peek() != c)
        {
            throw Unexpected(expected);
        }

        _pos++;
    }

    private void SkipSpace()
    {
        while (_pos < _end && _text[_pos] is (byte)' ' or (byte)'\t')
        {
            _pos++;
        }
    }

    /// <summary>The next character, or '\0' at the end of the dict text (which a header never contains).</summary>
    private readonly char Peek() => _pos < _end ? (char)_text[_pos] : '\0';

    private readonly NpyFormatException Unexpected(string expected)
    {
        string found = _pos >= _end
            ? "the end of the header"
            : $"'{NpyText.Escape(_text.Slice(_pos, 1))}'";
        return Error(NpyErrorKind.BadHeader, $"malformed header: expected {expected} at character {_pos}, found {found}; the header is '{Shown()}'");
    }

    /// <summary>The header without its padding, for messages.</summary>
    private readonly string Shown() => NpyText.Escape(_text[.._end], 200);

    private readonly NpyFormatException Error(NpyErrorKind kind, string reason) => new(_source, kind, reason);
}
