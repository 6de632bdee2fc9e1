namespace LaxScan.Linen;

/// <summary>
/// One item Flax folds into a key through SHA-1 (its <c>PRNGFoldable</c>): a scope name or a call counter. Kept as a
/// small tagged value rather than <see cref="object"/> so the hash never meets a type it cannot encode.
/// </summary>
internal readonly record struct RngFoldable
{
    private RngFoldable(string? text, long number)
    {
        Text = text;
        Number = number;
    }

    /// <summary>The name, or null when this item is a counter.</summary>
    public string? Text { get; }

    /// <summary>The counter, when <see cref="Text"/> is null.</summary>
    public long Number { get; }

    public static RngFoldable Of(string text) => new(text ?? throw new ArgumentNullException(nameof(text)), 0);

    public static RngFoldable Of(long number)
    {
        // Python's int.to_bytes raises OverflowError for negatives; Flax only ever folds counters >= 1.
        ArgumentOutOfRangeException.ThrowIfNegative(number);
        return new(null, number);
    }

    public override string ToString() => Text is null ? Number.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"'{Text}'";
}
