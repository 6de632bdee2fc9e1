using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using LaxScan.Random;

namespace LaxScan.Linen;

/// <summary>
/// Flax's <c>_fold_in_static</c> (flax/core/scope.py): folds a path of names and counters into a key as
/// <c>fold_in(key, h)</c>, where h is the first 4 bytes, big-endian, of one SHA-1 over all the items.
/// </summary>
internal static class RngPathHash
{
    /// <summary>The 32-bit hash of the items: what Flax passes to <c>fold_in</c>.</summary>
    public static uint Hash(ReadOnlySpan<RngFoldable> items, bool fixSeparator)
    {
        // SHA-1 is Flax's choice for spreading names over the 32-bit fold_in data, not a security measure.
        using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        Span<byte> separator = [0];
        Span<byte> numberBytes = stackalloc byte[8];
        foreach (RngFoldable item in items)
        {
            if (fixSeparator)
            {
                sha1.AppendData(separator);
            }

            if (item.Text is not null)
            {
                sha1.AppendData(Encoding.UTF8.GetBytes(item.Text));
            }
            else
            {
                // Python's x.to_bytes((x.bit_length() + 7) // 8, 'big'): minimal big-endian, so 0 adds no bytes at all.
                BinaryPrimitives.WriteUInt64BigEndian(numberBytes, (ulong)item.Number);
                int length = (64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)item.Number) + 7) / 8;
                sha1.AppendData(numberBytes[(8 - length)..]);
            }
        }

        Span<byte> digest = stackalloc byte[20];
        sha1.GetHashAndReset(digest);
        return BinaryPrimitives.ReadUInt32BigEndian(digest);
    }

    /// <summary>The key Flax derives: <paramref name="key"/> itself for an empty path, else <c>fold_in(key, Hash(items))</c>.</summary>
    public static PrngKey FoldIn(PrngKey key, ReadOnlySpan<RngFoldable> items, bool fixSeparator) =>
        items.IsEmpty ? key : key.FoldIn(Hash(items, fixSeparator));
}
