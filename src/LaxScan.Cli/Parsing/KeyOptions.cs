using System.CommandLine;
using LaxScan.Random;

namespace LaxScan.Cli.Parsing;

/// <summary>The common options that choose the PRNG key and the threefry layout: <c>--seed</c>, <c>--key</c>, <c>--threefry</c>.</summary>
internal sealed class KeyOptions
{
    private KeyOptions(Command command)
    {
        Seed = CliOptions.Create<long>(
            "--seed",
            "S",
            "Integer seed, as jax.random.PRNGKey(S) with 64-bit mode off: key [0, S mod 2^32]. Signed 64-bit. [default: 0]",
            (string text, string what, out long value, out string? error) => CliValues.TryParseInt64(text, what, out value, out error));
        Key = CliOptions.Create<PrngKey>("--key", "K0,K1", "A raw key of two uint32 words, instead of --seed.", CliOptions.TryParseKey);
        Threefry = CliOptions.Choice(
            "--threefry",
            "JAX's jax_threefry_partitionable flag: partitionable (True, JAX's default since 0.5.0) or original (False). [default: partitionable]",
            ("partitionable", ThreefryMode.Partitionable),
            ("original", ThreefryMode.Original));

        command.Options.Add(Seed);
        command.Options.Add(Key);
        command.Options.Add(Threefry);
        command.Validators.Add(result =>
        {
            if (result.GetResult(Seed) is { Implicit: false } && result.GetResult(Key) is { Implicit: false })
            {
                result.AddError("--seed and --key both give the key; use one of them");
            }
        });
    }

    /// <summary><c>--seed S</c>.</summary>
    public Option<long?> Seed { get; }

    /// <summary><c>--key K0,K1</c>.</summary>
    public Option<PrngKey?> Key { get; }

    /// <summary><c>--threefry partitionable|original</c>.</summary>
    public Option<ThreefryMode?> Threefry { get; }

    /// <summary>Adds the key options to <paramref name="command"/>, with the check that at most one of --seed and --key is given.</summary>
    public static KeyOptions AddTo(Command command) => new(command);

    /// <summary>The key the command line chose: <c>--key</c>, else <c>PRNGKey(--seed)</c>, else <c>PRNGKey(0)</c>.</summary>
    public PrngKey GetKey(ParseResult result) => result.GetValue(Key) ?? PrngKey.FromSeed(result.GetValue(Seed) ?? 0);

    /// <summary>The threefry layout; JAX's default is partitionable.</summary>
    public ThreefryMode GetMode(ParseResult result) => result.GetValue(Threefry) ?? ThreefryMode.Partitionable;
}
