using LaxScan.Random;

namespace LaxScan.Tests.Random;

/// <summary>
/// Values that JAX and Random123 themselves publish, each with its source. Only these are ground truth: a value this
/// project's code printed is never an expected value here.
/// </summary>
public static class PublishedVectors
{
    /// <summary>Random123 known-answer test vectors for threefry2x32_20 (Random123 kat_vectors; also jax tests/random_test.py testThreefry2x32).</summary>
    public static TheoryData<uint, uint, uint, uint, uint, uint> Threefry2x32Block => new()
    {
        { 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x6B200159, 0x99BA4EFE },
        { 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0x1CB996FC, 0xBB002BE7 },
        { 0x13198A2E, 0x03707344, 0x243F6A88, 0x85A308D3, 0xC4923A9C, 0x483DF7A0 },
    };
}
