using System.Diagnostics;
using LaxScan.Numerics;

namespace LaxScan.Bench.Exhaustive;

/// <summary>
/// <c>dotnet run -c Release --project bench/LaxScan.Bench -- exhaustive [function...] [--tier 128|256|512]</c>:
/// compares a vector tier with the scalar reference on all 2^32 float32 bit patterns, one function after another.
/// Too slow for CI (minutes per function on two cores), so it is run by hand whenever a kernel changes.
/// </summary>
/// <remarks>
/// A mismatch is any difference in bits, except that two NaNs count as equal; NaN payload differences are counted
/// separately so the report can say whether the payloads agree too.
/// </remarks>
internal static class ExhaustiveCheck
{
    private delegate float Scalar(float x);

    private delegate void Span(ReadOnlySpan<float> x, Span<float> destination, SimdTier tier);

    private static readonly (string Name, Scalar Reference, Span Vector)[] Functions =
    [
        ("tanh", XlaMath.Tanh, XlaMath.Tanh),
        ("erf", XlaMath.Erf, XlaMath.Erf),
        ("log", XlaMath.Log, XlaMath.Log),
        ("log1p", XlaMath.Log1p, XlaMath.Log1p),
        ("erfinv", XlaMath.ErfInv, XlaMath.ErfInv),
        ("exp", XlaMath.Exp, XlaMath.Exp),
        ("logistic", XlaMath.Logistic, XlaMath.Logistic),
    ];

    private const int BlockBits = 20;

    public static int Run(string[] args)
    {
        SimdTier tier = SimdTier.Vector512;
        var names = new List<string>();
        for (int a = 0; a < args.Length; a++)
        {
            if (args[a] == "--tier" && a + 1 < args.Length)
            {
                tier = args[++a] switch
                {
                    "128" => SimdTier.Vector128,
                    "256" => SimdTier.Vector256,
                    "512" => SimdTier.Vector512,
                    string other => throw new ArgumentException($"--tier {other} is not a vector tier; use 128, 256 or 512"),
                };
            }
            else
            {
                names.Add(args[a].ToLowerInvariant());
            }
        }

        Console.WriteLine($"exhaustive check, tier {tier} (hardware {SimdTiers.Hardware}), {Environment.ProcessorCount} threads");
        long totalMismatches = 0;
        foreach (var (name, reference, vector) in Functions)
        {
            if (names.Count > 0 && !names.Contains(name))
            {
                continue;
            }

            var watch = Stopwatch.StartNew();
            long mismatches = 0, nanPayloads = 0;
            var examples = new List<string>();
            int blocks = 1 << (32 - BlockBits);
            Parallel.For(
                0,
                blocks,
                () => (new float[1 << BlockBits], new float[1 << BlockBits], new float[1 << BlockBits]),
                (block, _, buffers) =>
                {
                    var (x, expected, actual) = buffers;
                    uint first = (uint)block << BlockBits;
                    for (int i = 0; i < x.Length; i++)
                    {
                        x[i] = BitConverter.UInt32BitsToSingle(first + (uint)i);
                        expected[i] = reference(x[i]);
                    }

                    vector(x, actual, tier);
                    long bad = 0, payload = 0;
                    for (int i = 0; i < x.Length; i++)
                    {
                        uint e = BitConverter.SingleToUInt32Bits(expected[i]), g = BitConverter.SingleToUInt32Bits(actual[i]);
                        if (e == g)
                        {
                            continue;
                        }

                        if (float.IsNaN(expected[i]) && float.IsNaN(actual[i]))
                        {
                            payload++;
                            continue;
                        }

                        bad++;
                        lock (examples)
                        {
                            if (examples.Count < 10)
                            {
                                examples.Add($"x=0x{first + (uint)i:X8} scalar=0x{e:X8} vector=0x{g:X8}");
                            }
                        }
                    }

                    Interlocked.Add(ref mismatches, bad);
                    Interlocked.Add(ref nanPayloads, payload);
                    return buffers;
                },
                _ => { });
            totalMismatches += mismatches;
            Console.WriteLine($"{name,-8} 2^32 inputs: {mismatches} mismatches, {nanPayloads} NaN-payload differences, {watch.Elapsed.TotalSeconds:F1} s");
            foreach (string example in examples)
            {
                Console.WriteLine($"    {example}");
            }
        }

        return totalMismatches == 0 ? 0 : 1;
    }
}
