using System.Numerics;
using System.Runtime.InteropServices;
using LaxScan.Numerics;

namespace LaxScan.Random;

/// <summary>
/// <c>jax.random.bits</c> / <c>_random_bits</c>: uniformly random unsigned integers of width 8, 16, 32 or 64, in both
/// threefry counter layouts.
/// </summary>
internal static class RandomBits
{
    // In the original layout JAX hashes at most this many counters under one key and chunks larger counts through
    // split (jax/_src/prng.py, _threefry_random_bits_original: divmod(max_count, iinfo(uint32).max)).
    internal const long OriginalChunkWords = uint.MaxValue;

    private const int ChunkLength = 1024;

    /// <summary>Fills <paramref name="destination"/> with <c>random_bits(key, 32, shape)</c> for a shape of that many elements.</summary>
    public static void Fill32(PrngKey key, Span<uint> destination, ThreefryMode mode, SimdTier tier)
    {
        if (mode == ThreefryMode.Partitionable)
        {
            FillPartitionable<uint>(key, destination, 32, tier);
        }
        else
        {
            FillOriginalWords(key, destination, OriginalChunkWords, tier);
        }
    }

    /// <summary><c>random_bits(key, width, shape)</c> with the width given by the element type <typeparamref name="T"/>.</summary>
    public static NDArray<T> Bits<T>(PrngKey key, Shape shape, ThreefryMode mode, SimdTier tier, long originalChunkWords = OriginalChunkWords)
        where T : unmanaged, IUnsignedNumber<T>
    {
        var result = new NDArray<T>(shape);
        Span<T> output = result.Span;
        int width = DTypes.Of<T>().ItemSize() * 8;
        if (mode == ThreefryMode.Partitionable)
        {
            FillPartitionable(key, output, width, tier);
            return result;
        }

        // Original layout: ceil(width * size / 32) words, then viewed at the requested width.
        long size = shape.Size;
        long wordCount = ((width * size) + 31) / 32;
        ArraySize.EnsureAllocatable(wordCount, sizeof(uint), "random bit words");
        var words = new uint[wordCount];
        FillOriginalWords(key, words, originalChunkWords, tier);
        if (width == 64)
        {
            // The word list is cut in halves A and B: element i is (A[i] << 32) | B[i].
            Span<ulong> out64 = MemoryMarshal.Cast<T, ulong>(output);
            for (int i = 0; i < out64.Length; i++)
            {
                out64[i] = ((ulong)words[i] << 32) | words[size + i];
            }
        }
        else
        {
            // Widths 32, 16 and 8 are the little-endian view of the words, first `size` elements.
            MemoryMarshal.AsBytes(words.AsSpan())[..(int)(size * (width / 8))].CopyTo(MemoryMarshal.AsBytes(output));
        }

        return result;
    }

    private static void FillPartitionable<T>(PrngKey key, Span<T> output, int width, SimdTier tier)
        where T : unmanaged
    {
        Span<uint> y0 = stackalloc uint[ChunkLength];
        Span<uint> y1 = stackalloc uint[ChunkLength];
        for (int start = 0; start < output.Length; start += ChunkLength)
        {
            int n = Math.Min(ChunkLength, output.Length - start);
            Threefry2x32.HashIota64(key, (ulong)start, y0[..n], y1[..n], tier);
            Span<T> chunk = output.Slice(start, n);
            switch (width)
            {
                case 64:
                    Span<ulong> c64 = MemoryMarshal.Cast<T, ulong>(chunk);
                    for (int i = 0; i < n; i++)
                    {
                        c64[i] = ((ulong)y0[i] << 32) | y1[i];
                    }

                    break;
                case 32:
                    Xor(y0[..n], y1[..n], MemoryMarshal.Cast<T, uint>(chunk));
                    break;
                case 16:
                    Span<ushort> c16 = MemoryMarshal.Cast<T, ushort>(chunk);
                    for (int i = 0; i < n; i++)
                    {
                        c16[i] = (ushort)(y0[i] ^ y1[i]);
                    }

                    break;
                default:
                    Span<byte> c8 = MemoryMarshal.Cast<T, byte>(chunk);
                    for (int i = 0; i < n; i++)
                    {
                        c8[i] = (byte)(y0[i] ^ y1[i]);
                    }

                    break;
            }
        }
    }

    private static void Xor(ReadOnlySpan<uint> a, ReadOnlySpan<uint> b, Span<uint> destination)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i + Vector<uint>.Count <= a.Length; i += Vector<uint>.Count)
            {
                (new Vector<uint>(a[i..]) ^ new Vector<uint>(b[i..])).CopyTo(destination[i..]);
            }
        }

        for (; i < a.Length; i++)
        {
            destination[i] = a[i] ^ b[i];
        }
    }

    /// <summary>
    /// The original layout's words: <c>threefry_2x32(key, iota(n))</c>, chunked as JAX chunks it once n reaches
    /// <paramref name="chunkWords"/> (split into nblocks + 1 keys, one iota of chunkWords counters per full block).
    /// </summary>
    internal static void FillOriginalWords(PrngKey key, Span<uint> words, long chunkWords, SimdTier tier)
    {
        long blocks = words.Length / chunkWords;
        if (blocks == 0)
        {
            HashIotaOriginal(key, words, tier);
            return;
        }

        PrngKey[] subkeys = key.Split(checked((int)(blocks + 1)), ThreefryMode.Original);
        int offset = 0;
        for (int b = 0; b <= blocks; b++)
        {
            int length = (int)Math.Min(chunkWords, words.Length - offset);
            HashIotaOriginal(subkeys[b], words.Slice(offset, length), tier);
            offset += length;
        }
    }

    /// <summary>
    /// <c>threefry_2x32(key, iota(n))</c>: the counters padded to even length with a 0, cut into halves X0 and X1,
    /// hashed pairwise, and the outputs Y0 then Y1 concatenated without the pad.
    /// </summary>
    internal static void HashIotaOriginal(PrngKey key, Span<uint> words, SimdTier tier = SimdTier.Scalar)
    {
        int n = words.Length;
        int half = (n + 1) / 2;
        Span<uint> x0 = stackalloc uint[ChunkLength];
        Span<uint> x1 = stackalloc uint[ChunkLength];
        Span<uint> y0 = stackalloc uint[ChunkLength];
        Span<uint> y1 = stackalloc uint[ChunkLength];
        for (int start = 0; start < half; start += ChunkLength)
        {
            int m = Math.Min(ChunkLength, half - start);
            for (int i = 0; i < m; i++)
            {
                int p = start + i;
                x0[i] = (uint)p;
                x1[i] = half + p < n ? (uint)(half + p) : 0u;
            }

            Threefry2x32.Hash(key, x0[..m], x1[..m], y0[..m], y1[..m], tier);
            y0[..m].CopyTo(words.Slice(start, m));
            int tail = Math.Min(m, n - half - start);
            if (tail > 0)
            {
                y1[..tail].CopyTo(words.Slice(half + start, tail));
            }
        }
    }
}
