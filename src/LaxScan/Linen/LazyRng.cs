using System.Collections.Immutable;
using LaxScan.Random;

namespace LaxScan.Linen;

/// <summary>
/// Flax's <c>LazyRng</c>: a stream's root key plus the names of the scopes below the root. The names are not folded in
/// one by one; they are hashed together with the call counter in a single SHA-1 when a key is made.
/// </summary>
internal sealed record LazyRng(PrngKey Key, ImmutableArray<RngFoldable> Suffix)
{
    public static LazyRng Root(PrngKey key) => new(key, []);

    public LazyRng Append(RngFoldable item) => new(Key, Suffix.Add(item));

    public PrngKey AsKey(bool fixSeparator) => RngPathHash.FoldIn(Key, Suffix.AsSpan(), fixSeparator);
}
