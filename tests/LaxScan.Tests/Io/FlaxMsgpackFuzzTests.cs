using System.Diagnostics;
using LaxScan.Io;
using static LaxScan.Tests.Io.FlaxMsgpackTestData;

namespace LaxScan.Tests.Io;

/// <summary>Mutated checkpoints (fixed seed): FromBytes returns variables or throws FlaxCheckpointException, nothing else.</summary>
public sealed class FlaxMsgpackFuzzTests
{
    [Fact]
    public void Mutated_checkpoints_only_ever_throw_FlaxCheckpointException()
    {
        var random = new System.Random(20240601);
        byte[][] seeds = [.. new[] { "w4x4", "dense_nested", "chunked", "mixed_dtypes", "npscalar", "w_float64", "w20x20" }.Select(Fixture)];
        var clock = Stopwatch.StartNew();
        int runs = 0, accepted = 0;

        while (clock.Elapsed < TimeSpan.FromSeconds(8) && runs < 200_000)
        {
            byte[] data = Mutate(random, seeds[random.Next(seeds.Length)]);
            try
            {
                FlaxSerialization.FromBytes(data);
                accepted++;
            }
            catch (FlaxCheckpointException)
            {
            }
            catch (Exception e)
            {
                Assert.Fail($"run {runs}: {e.GetType().Name} for input {Convert.ToHexString(data)}: {e}");
            }

            runs++;
        }

        Assert.True(runs > 1000, $"only {runs} runs");
        Assert.True(accepted > 0 && accepted < runs, $"{accepted} of {runs} accepted");
    }

    private static byte[] Mutate(System.Random random, byte[] seed)
    {
        var data = new List<byte>(seed);
        int edits = 1 + random.Next(4);
        for (int e = 0; e < edits && data.Count > 0; e++)
        {
            int at = random.Next(data.Count);
            switch (random.Next(7))
            {
                case 0: // bit flip
                    data[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1: // truncation
                    data.RemoveRange(at, data.Count - at);
                    break;
                case 2: // inserted bytes
                    data.InsertRange(at, Enumerable.Range(0, 1 + random.Next(8)).Select(_ => (byte)random.Next(256)));
                    break;
                case 3: // deleted bytes
                    data.RemoveRange(at, Math.Min(data.Count - at, 1 + random.Next(8)));
                    break;
                case 4: // a random ext header (code and length) spliced in
                    data.InsertRange(at, [0xC9, .. BitConverter.GetBytes(random.Next()).Reverse(), (byte)random.Next(256)]);
                    break;
                case 5: // a header byte with a big length after it
                    byte[] heads = [0xC4, 0xC5, 0xC6, 0xC7, 0xC8, 0xC9, 0xD9, 0xDA, 0xDB, 0xDC, 0xDD, 0xDE, 0xDF, 0xCF, 0xD3];
                    data.InsertRange(at, [heads[random.Next(heads.Length)], 0xFF, 0xFF, 0xFF, 0xF0]);
                    break;
                default: // a random byte
                    data[at] = (byte)random.Next(256);
                    break;
            }
        }

        return [.. data];
    }
}
