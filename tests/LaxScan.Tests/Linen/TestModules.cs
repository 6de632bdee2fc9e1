using LaxScan.Linen;
using LaxScan.Nn;
using LaxScan.Random;

namespace LaxScan.Tests.Linen;

// Class names matter: autonaming uses them, and the rng guide's published keys hash "RNGSubModule_0".

/// <summary>The rng guide's RNGSubSubModule: two make_rng calls.</summary>
internal sealed class RNGSubSubModule(List<PrngKey> log) : Module<int, int>
{
    protected override int Call(Scope scope, int input)
    {
        log.Add(scope.MakeRng("rng_stream"));
        log.Add(scope.MakeRng("rng_stream"));
        return input;
    }
}

/// <summary>The rng guide's RNGSubModule: two make_rng calls, then optionally an RNGSubSubModule.</summary>
internal sealed class RNGSubModule(List<PrngKey> log, bool nested) : Module<int, int>
{
    protected override int Call(Scope scope, int input)
    {
        log.Add(scope.MakeRng("rng_stream"));
        log.Add(scope.MakeRng("rng_stream"));
        return nested ? scope.Call(new RNGSubSubModule(log), input) : input;
    }
}

/// <summary>The rng guide's RNGModule: <paramref name="ownCalls"/> make_rng calls, then the given submodules in order.</summary>
internal sealed class RNGModule(List<PrngKey> log, int ownCalls, params Module<int, int>[] children) : Module<int, int>
{
    protected override int Call(Scope scope, int input)
    {
        for (int i = 0; i < ownCalls; i++)
        {
            log.Add(scope.MakeRng("rng_stream"));
        }

        foreach (Module<int, int> child in children)
        {
            input = scope.Call(child, input);
        }

        return input;
    }
}

/// <summary>A module that makes param "x" twice.</summary>
internal sealed class DoubleParam : Module<int, int>
{
    protected override int Call(Scope scope, int input)
    {
        scope.Param("x", LaxScan.Nn.Initializers.Zeros, new Shape(1));
        scope.Param("x", LaxScan.Nn.Initializers.Zeros, new Shape(1));
        return input;
    }
}

/// <summary>A module whose body is a lambda, for tests that need one param or one check. Its class name is "Probe".</summary>
internal sealed class Probe<TIn, TOut>(Func<Scope, TIn, TOut> body) : Module<TIn, TOut>
{
    protected override TOut Call(Scope scope, TIn input) => body(scope, input);
}

/// <summary>Helpers that build probes and initializers.</summary>
internal static class Probes
{
    public static Probe<int, int> Of(Action<Scope> body) => new((scope, input) =>
    {
        body(scope);
        return input;
    });

    public static Probe<int, TOut> Returning<TOut>(Func<Scope, TOut> body) => new((scope, _) => body(scope));

    /// <summary>An initializer that records the key it is given and returns zeros.</summary>
    public static Initializer Recording(List<PrngKey> keys) => (key, shape, _) =>
    {
        keys.Add(key);
        return new NDArray<float>(shape);
    };

    /// <summary>jax.random.normal(key, shape) as an initializer, as the rng guide's Dense uses it.</summary>
    public static Initializer Normal { get; } = (key, shape, mode) => JaxRandom.Normal(key, shape, mode);

    public static NDArray<float> Array(Shape shape, params float[] values) => new(shape, values);
}
