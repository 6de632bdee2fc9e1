using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using LaxScan.Random;

namespace LaxScan.Tests.Linen;

/// <summary>
/// Expected keys derived by hand from Flax's rule (flax/core/scope.py <c>_fold_in_static</c>): SHA-1 over the path names'
/// UTF-8 bytes then the counter's minimal big-endian bytes, first 4 digest bytes big-endian, folded in with
/// <see cref="PrngKey.FoldIn"/> (verified against JAX elsewhere). The bytes are built here independently of Linen.
/// </summary>
internal static class HandDerived
{
    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    public static uint Sha1Head(params byte[][] parts)
    {
        byte[] digest = SHA1.HashData(parts.SelectMany(p => p).ToArray());
        return BinaryPrimitives.ReadUInt32BigEndian(digest);
    }

    /// <summary>The key of call <paramref name="count"/> (1..255) at a path, without the separator.</summary>
    public static PrngKey Key(PrngKey root, int count, params string[] path) =>
        root.FoldIn(Sha1Head([.. path.Select(Bytes), [(byte)count]]));
}
