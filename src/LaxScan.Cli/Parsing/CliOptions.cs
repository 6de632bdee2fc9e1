using System.CommandLine;
using System.CommandLine.Parsing;
using LaxScan.Cli.Output;
using LaxScan.Random;

namespace LaxScan.Cli.Parsing;

/// <summary>A value parser in the shape of <see cref="CliValues"/>: the text, the name for messages, the value or an error.</summary>
internal delegate bool TextParser<T>(string text, string what, out T value, out string? error);

/// <summary>Option factories whose values are read by <see cref="CliValues"/>, so every malformed value is a one-line usage error.</summary>
internal static class CliOptions
{
    /// <summary>An option of one value read by <paramref name="parse"/>; absent reads as <c>null</c>.</summary>
    public static Option<T?> Create<T>(string name, string helpName, string description, TextParser<T> parse)
        where T : struct =>
        new(name)
        {
            HelpName = helpName,
            Description = description,
            CustomParser = result => ParseLast(result, name, parse) is (true, var value) ? value : null,
        };

    /// <summary>
    /// A reference-typed option of one value read by <paramref name="parse"/>. Absent reads as <c>null</c>, except for
    /// array types, which System.CommandLine reads as empty: ask <c>GetResult(option)</c> whether one was given.
    /// </summary>
    public static Option<T?> CreateReference<T>(string name, string helpName, string description, TextParser<T> parse)
        where T : class =>
        new(name)
        {
            HelpName = helpName,
            Description = description,
            CustomParser = result => ParseLast(result, name, parse) is (true, var value) ? value : null,
        };

    /// <summary>An option that takes one of a fixed set of words, mapped to values.</summary>
    public static Option<T?> Choice<T>(string name, string description, params (string Word, T Value)[] choices)
        where T : struct
    {
        string words = string.Join('|', choices.Select(c => c.Word));
        return Create(name, words, description, (string text, string what, out T value, out string? error) =>
        {
            foreach ((string word, T v) in choices)
            {
                if (text == word)
                {
                    value = v;
                    error = null;
                    return true;
                }
            }

            value = default;
            error = $"{what} must be one of {string.Join(", ", choices.Select(c => c.Word))}, but got '{text}'";
            return false;
        });
    }

    /// <summary><c>--shape d1,d2,...</c>; the empty string is the scalar shape.</summary>
    public static Option<int[]?> Shape(string description) =>
        CreateReference<int[]>("--shape", "d1,d2,...", description, CliValues.TryParseDimensions);

    /// <summary>An option naming a file; the empty string is refused, since it can only be a quoting mistake.</summary>
    public static Option<string?> FilePath(string name, string helpName, string description) =>
        WithPathParser(new Option<string?>(name), name, helpName, description);

    /// <summary><c>--out FILE.npy</c> alone, checked like every output; <see cref="OutOptions"/> adds <c>--quiet</c> with it.</summary>
    public static OutputPathOption Out(string what) =>
        OutputPath("--out", "FILE.npy", $"Also write {what} to this NumPy .npy file (complete or not at all).");

    /// <summary>
    /// An option naming a file the command writes: like <see cref="FilePath"/>, and checked with every other output
    /// before the command runs (<see cref="CliOutputs"/>).
    /// </summary>
    public static OutputPathOption OutputPath(string name, string helpName, string description) =>
        WithPathParser(new OutputPathOption(name), name, helpName, description);

    /// <summary><c>--key K0,K1</c>: two uint32 words.</summary>
    public static bool TryParseKey(string text, string what, out PrngKey key, out string? error)
    {
        key = default;
        if (!CliValues.TrySplitList(text, what, out string[] items, out error))
        {
            return false;
        }

        if (items.Length != 2)
        {
            error = $"{what} expects two uint32 words K0,K1, but got {items.Length} item{(items.Length == 1 ? string.Empty : "s")} in '{text}'";
            return false;
        }

        if (!CliValues.TryParseInteger(items[0], $"{what} word K0", 0, uint.MaxValue, "uint32", out long k0, out error)
            || !CliValues.TryParseInteger(items[1], $"{what} word K1", 0, uint.MaxValue, "uint32", out long k1, out error))
        {
            return false;
        }

        key = new PrngKey((uint)k0, (uint)k1);
        return true;
    }

    private static TOption WithPathParser<TOption>(TOption option, string name, string helpName, string description)
        where TOption : Option<string?>
    {
        option.HelpName = helpName;
        option.Description = description;
        option.CustomParser = result => ParseLast(result, name, (string text, string what, out string value, out string? error) =>
        {
            value = text;
            error = text.Length == 0 ? $"{what} expects a file path, but got an empty string" : null;
            return error is null;
        }) is (true, var value) ? value : null;
        return option;
    }

    private static (bool Ok, T Value) ParseLast<T>(ArgumentResult result, string name, TextParser<T> parse)
    {
        // System.CommandLine reports a missing value itself; only parse what arrived.
        if (result.Tokens.Count == 0)
        {
            return (false, default!);
        }

        if (parse(result.Tokens[^1].Value, name, out T value, out string? error))
        {
            return (true, value);
        }

        result.AddError(error!);
        return (false, default!);
    }
}
