using LaxScan.Io;
using static LaxScan.Tests.Io.FlaxMsgpackTestData;

namespace LaxScan.Tests.Io;

/// <summary>Mutated checkpoints (fixed seed): FromBytes returns variables or throws FlaxCheckpointException, nothing else.</summary>
public sealed class FlaxMsgpackFuzzTests
{
    private static readonly string[] Seeds = ["w4x4", "dense_nested", "chunked", "mixed_dtypes", "npscalar", "w_float64", "w20x20"];

    /// <summary>
    /// A fixed number of mutations from a fixed seed, so every run checks the same inputs (a time budget would check
    /// fewer on a loaded machine and pass all the same). Each either loads or throws <see cref="FlaxCheckpointException"/>;
    /// any other exception (an index out of range, an overflow, an out-of-memory from a forged length) fails.
    /// </summary>
    [Fact]
    public void Mutated_checkpoints_only_ever_throw_FlaxCheckpointException()
    {
        var random = new System.Random(20240601);
        byte[][] seeds = [.. Seeds.Select(Fixture)];
        for (int run = 0; run < 20_000; run++)
        {
            byte[] data = Mutate(random, seeds[random.Next(seeds.Length)]);
            try
            {
                FlaxSerialization.FromBytes(data);
            }
            catch (FlaxCheckpointException)
            {
            }
            catch (Exception e)
            {
                Assert.Fail($"run {run}: {e.GetType().Name} for input {Convert.ToHexString(data)}: {e}");
            }
        }
    }

    /// <summary>
    /// Every strict prefix of a checkpoint is one msgpack object cut short, so none may load: each must throw
    /// <see cref="FlaxCheckpointException"/>. A reader that returned what it had read so far (a tree missing its last
    /// leaves) fails here at the offset where it stopped checking.
    /// </summary>
    [Fact]
    public void Every_truncation_of_every_fixture_is_a_FlaxCheckpointException()
    {
        // w_float64 is refused whole (LaxScan holds no float64), so its prefixes say nothing about truncation.
        foreach (string name in Seeds.Where(n => n != "w_float64"))
        {
            byte[] whole = Fixture(name);
            Assert.NotNull(FlaxSerialization.FromBytes(whole));
            for (int length = 0; length < whole.Length; length++)
            {
                byte[] prefix = whole[..length];
                Exception? e = Record.Exception(() => FlaxSerialization.FromBytes(prefix));
                Assert.True(e is FlaxCheckpointException, $"{name} cut to {length} of {whole.Length} bytes: {(e is null ? "loaded" : e.GetType().Name + ": " + e.Message)}");
            }
        }
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
