using LaxScan.Kernels;
using System.Security.Cryptography;
using LaxScan.Linen;
using LaxScan.Models;
using LaxScan.Nn;
using LaxScan.Numerics;
using LaxScan.Random;
using static LaxScan.Models.LaxScanFunctions;

namespace LaxScan.Tests.Models;

public class LaxScanModuleTests
{
    private static readonly float[] SeedX = [0.5f, -1f, 0.25f, 2f];

    /// <summary>
    /// The seed's computation spelled out with the scalar references: W from Flax's key rule, then
    /// tanh(x @ W) and T times tanh(carry @ W), each dot in XLA's order.
    /// </summary>
    private static float[] ByHand(PrngKey key, float[] x, int hidden, long steps, ThreefryMode mode = ThreefryMode.Partitionable)
    {
        NDArray<float> w = Initializers.LecunNormal()(FirstParamKey(key), new Shape(hidden, hidden), mode);
        float[] carry = new float[hidden];
        Gemv.Reference(x, w.Span, carry);
        carry = [.. carry.Select(XlaMath.Tanh)];
        for (long t = 0; t < steps; t++)
        {
            float[] next = new float[hidden];
            Gemv.Reference(carry, w.Span, next);
            carry = [.. next.Select(XlaMath.Tanh)];
        }

        return carry;
    }

    /// <summary>
    /// A root module's first <c>make_rng("params")</c>: fold_in(key, h) with h the first four bytes (big-endian) of
    /// SHA-1 over the empty path and the counter 1, encoded as the single byte 0x01.
    /// </summary>
    private static PrngKey FirstParamKey(PrngKey key)
    {
        byte[] digest = SHA1.HashData([0x01]);
        uint h = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(digest);
        Assert.Equal(3213575472u, h);   // jax-parity.md section 6
        return key.FoldIn(h);
    }

    [Fact]
    public void Init_makes_W_from_the_root_scope_s_first_params_key_with_lecun_normal()
    {
        var key = PrngKey.FromSeed(0);
        Variables variables = Params(key, 4);
        NDArray<float> w = variables.GetFloat32("params", "W");
        Assert.Equal(new Shape(4, 4), w.Shape);
        Bits.Equal(Initializers.LecunNormal()(FirstParamKey(key), new Shape(4, 4)).Span, w.Span);
        Assert.Equal(["params"], variables.Keys);
        Assert.Equal(["W"], variables.GetDict("params").Keys);
    }

    [Theory]
    [InlineData(0, 4, 10, ThreefryMode.Partitionable)]
    [InlineData(0, 4, 10, ThreefryMode.Original)]
    [InlineData(1, 1, 3, ThreefryMode.Partitionable)]
    [InlineData(-7, 33, 5, ThreefryMode.Partitionable)]
    [InlineData(42, 130, 2, ThreefryMode.Original)]
    public void The_run_equals_the_seed_s_computation_by_hand(long seed, int hidden, long steps, ThreefryMode mode)
    {
        float[] x = [.. Enumerable.Range(0, hidden).Select(i => MathF.Sin(i + 0.5f))];
        var options = new LaxScanOptions { Linen = new LinenOptions(mode) };
        NDArray<float> actual = LaxScanInModule(seed, x, hidden, steps, options);
        Assert.Equal(new Shape(hidden), actual.Shape);
        Bits.Equal(ByHand(PrngKey.FromSeed(seed), x, hidden, steps, mode), actual.Span);
    }

    [Fact]
    public void Zero_steps_returns_tanh_of_x_at_W()
    {
        Bits.Equal(ByHand(PrngKey.FromSeed(0), SeedX, 4, 0), LaxScanInModule(0, SeedX, 4, 0).Span);
    }

    [Fact]
    public void The_threefry_mode_changes_W_and_so_the_result()
    {
        float[] partitionable = LaxScanInModule(0, SeedX, 4, 10).Data;
        float[] original = LaxScanInModule(0, SeedX, 4, 10, new LaxScanOptions { Linen = new LinenOptions(ThreefryMode.Original) }).Data;
        Assert.NotEqual(partitionable.Select(Bits.Of), original.Select(Bits.Of));
    }

    [Fact]
    public void Every_row_of_a_batch_gives_the_bits_of_its_single_run()
    {
        const int hidden = 37;
        const int batch = 9;
        var rng = new System.Random(5);
        float[] xs = [.. Enumerable.Range(0, batch * hidden).Select(_ => (float)(rng.NextDouble() * 4 - 2))];
        var key = PrngKey.FromSeed(3);
        NDArray<float> all = LaxScanInModule(key, new NDArray<float>(new Shape(batch, hidden), xs), hidden, 6);
        Assert.Equal(new Shape(batch, hidden), all.Shape);
        for (int b = 0; b < batch; b++)
        {
            float[] row = xs.AsSpan(b * hidden, hidden).ToArray();
            Bits.Equal(ByHand(key, row, hidden, 6), all.Span.Slice(b * hidden, hidden), $"row {b}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void The_thread_count_does_not_change_a_bit(int threads)
    {
        const int hidden = 600;
        float[] x = [.. Enumerable.Range(0, hidden).Select(i => MathF.Cos(i))];
        NDArray<float> actual = LaxScanInModule(11, x, hidden, 4, new LaxScanOptions { Threads = threads });
        Bits.Equal(ByHand(PrngKey.FromSeed(11), x, hidden, 4), actual.Span);
    }

    [Fact]
    public void A_decaying_state_passes_through_the_subnormal_range_and_flushes_like_XLA()
    {
        // A contracting W drives the state toward zero by about 2^-20 a step: it crosses the subnormal range,
        // where XLA:CPU's flush-to-zero decides the bits, and ends at zero.
        const int hidden = 3;
        var module = new LaxScanModule(hidden, steps: 12);
        float[] wValues = [1e-6f, -2e-6f, 3e-7f, 5e-7f, 1e-6f, -1e-6f, -4e-7f, 2e-7f, 9e-7f];
        var w = new NDArray<float>(new Shape(hidden, hidden), wValues);
        Variables variables = Variables.Empty.With("params", Variables.Empty.With("W", w));
        float[] x = [0.7f, -0.3f, 0.9f];
        var states = new List<float[]>();
        var observed = new LaxScanModule(hidden, 12);
        NDArray<float> actual = observed.Apply(variables, new NDArray<float>(new Shape(hidden), x), new LaxScanRunOptions { OnStep = (_, s) => states.Add(s.ToArray()) });

        float[] carry = x;
        var expectedStates = new List<float[]>();
        for (int t = 0; t <= 12; t++)
        {
            float[] next = new float[hidden];
            Gemv.Reference(carry, wValues, next);
            carry = [.. next.Select(XlaMath.Tanh)];
            expectedStates.Add(carry);
        }

        Assert.Equal(13, states.Count);
        for (int t = 0; t <= 12; t++)
        {
            Bits.Equal(expectedStates[t], states[t], $"step {t}");
            Assert.DoesNotContain(states[t], XlaMath.IsSubnormal);
        }

        // Without flushing, some step's dot would hold a subnormal: the regime really is exercised.
        Assert.Contains(expectedStates, s => UnflushedDot(s, wValues).Any(XlaMath.IsSubnormal));
        Assert.All(actual.Span.ToArray(), v => Assert.Equal(0f, v));
        Bits.Equal(expectedStates[^1], actual.Span);
    }

    private static float[] UnflushedDot(float[] x, float[] w)
    {
        int n = w.Length / x.Length;
        float[] y = new float[n];
        for (int j = 0; j < n; j++)
        {
            for (int i = 0; i < x.Length; i++)
            {
                y[j] = MathF.FusedMultiplyAdd(w[(i * n) + j], x[i], y[j]);
            }
        }

        return y;
    }

    [Fact]
    public void Apply_reuses_given_variables_and_checks_W_s_shape()
    {
        Variables variables = Params(PrngKey.FromSeed(0), 4);
        var module = new LaxScanModule(4, 10);
        Bits.Equal(LaxScanInModule(0, SeedX, 4, 10).Span, module.Apply(variables, new NDArray<float>(new Shape(4), SeedX)).Span);

        var wrong = new LaxScanModule(5, 10);
        var e = Assert.Throws<ScopeParamShapeError>(() => wrong.Apply(variables, new NDArray<float>(new Shape(5))));
        Assert.Contains("(4, 4)", e.Message, StringComparison.Ordinal);
        Assert.Contains("(5, 5)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_release_that_sends_the_dot_to_YNNPACK_is_refused_at_apply_from_H_8_and_not_at_init()
    {
        var ynnpack = new LaxScanOptions { Linen = new LinenOptions { JaxVersion = JaxVersion.Parse("0.9.0") } };
        var e = Assert.Throws<NotSupportedException>(() => LaxScanInModule(0, new float[8], 8, 1, ynnpack));
        Assert.Contains("JAX 0.9.0 computes x @ W with H >= 8 in YNNPACK", e.Message, StringComparison.Ordinal);

        // W does not depend on how the dot is computed: init (params) is not refused, and H = 7 still runs.
        Bits.Equal(Params(PrngKey.FromSeed(0), 8).GetFloat32("params", "W").Span, Params(PrngKey.FromSeed(0), 8, ynnpack).GetFloat32("params", "W").Span);
        Bits.Equal(LaxScanInModule(0, new float[7], 7, 1).Span, LaxScanInModule(0, new float[7], 7, 1, ynnpack).Span);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public void An_x_whose_length_is_not_hidden_is_a_clear_error(int length)
    {
        var e = Assert.Throws<ArgumentException>(() => LaxScanInModule(0, new float[length], 4, 1));
        Assert.Contains($"LaxScanModule(hidden=4) takes x of shape (4,) or (B, 4) with B >= 1, but x has shape ({length},)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hidden_below_one_and_negative_steps_are_errors()
    {
        Assert.Contains("hidden must be >= 1, but was given 0", Assert.Throws<ArgumentOutOfRangeException>(() => new LaxScanModule(0, 1)).Message, StringComparison.Ordinal);
        Assert.Contains("steps (T) must be >= 0, but was given -1", Assert.Throws<ArgumentOutOfRangeException>(() => new LaxScanModule(1, -1)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_W_too_large_for_memory_is_refused_before_allocating()
    {
        var e = Assert.Throws<InsufficientMemoryException>(() => LaxScanInModule(0, new float[100_000], 100_000, 1));
        Assert.Contains("(100000, 100000)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NaN_and_infinity_in_x_propagate_as_in_JAX()
    {
        NDArray<float> result = LaxScanInModule(0, [float.NaN, 1f, float.PositiveInfinity, 0f], 4, 2);
        Bits.Equal(ByHand(PrngKey.FromSeed(0), [float.NaN, 1f, float.PositiveInfinity, 0f], 4, 2), result.Span);
        Assert.All(result.Span.ToArray(), v => Assert.True(float.IsNaN(v)));
    }

    [Fact]
    public void Cancellation_stops_a_long_run_between_steps()
    {
        using var cts = new CancellationTokenSource();
        long seen = 0;
        var options = new LaxScanOptions
        {
            OnStep = (step, _) =>
            {
                seen = step;
                if (step == 5)
                {
                    cts.Cancel();
                }
            },
        };
        Assert.Throws<OperationCanceledException>(() => LaxScanInModule(0, SeedX, 4, 1_000_000_000, options, cts.Token));
        Assert.Equal(5, seen);
    }
}

/// <summary>One module, many callers: per-call options, one thread team per run, cancellation inside a batch step.</summary>
public class LaxScanModuleCallTests
{
    [Fact]
    public async Task One_module_serves_callers_on_several_threads_each_with_its_own_options()
    {
        // Before, threads, cancellation and the observer were properties of the module: one instance could not run
        // for two callers with different options. Now they are per call.
        const int hidden = 300;
        var module = new LaxScanModule(hidden, 6);
        Variables variables = LaxScanFunctions.Params(PrngKey.FromSeed(4), hidden);
        float[][] inputs = [.. Enumerable.Range(0, 4).Select(c => Enumerable.Range(0, hidden).Select(i => MathF.Sin((i * 0.1f) + c)).ToArray())];
        float[][] expected = [.. inputs.Select(x => module.Apply(variables, new NDArray<float>(new Shape(hidden), x), new LaxScanRunOptions { Threads = 1 }).Data)];
        var results = new float[4][];
        var steps = new List<long>[4];
        await Task.WhenAll(Enumerable.Range(0, 4).Select(c => Task.Run(() =>
        {
            var seen = new List<long>();
            for (int repeat = 0; repeat < 20; repeat++)
            {
                seen.Clear();
                var run = new LaxScanRunOptions { Threads = c % 2 == 0 ? 1 : 2, OnStep = (step, _) => seen.Add(step) };
                results[c] = module.Apply(variables, new NDArray<float>(new Shape(hidden), inputs[c]), run).Data;
                Bits.Equal(expected[c], results[c], $"caller {c} repeat {repeat}");
            }

            steps[c] = [.. seen];
        }))).WaitAsync(TimeSpan.FromSeconds(120), TestContext.Current.CancellationToken);
        Assert.All(steps, s => Assert.Equal([0L, 1, 2, 3, 4, 5, 6], s));
    }

    [Fact]
    public void LaxScanInModule_starts_one_thread_team_for_init_and_apply()
    {
        Assert.SkipUnless(Environment.ProcessorCount > 1, "a team needs two CPUs");
        int before = LaxScan.Threading.StepTeam.CreatedOnThisThread;
        float[] x = [.. Enumerable.Range(0, 600).Select(i => MathF.Cos(i))];
        LaxScanInModule(1, x, 600, 3, new LaxScanOptions { Threads = 2 });
        Assert.Equal(1, LaxScan.Threading.StepTeam.CreatedOnThisThread - before);
    }

    [Fact]
    public void A_step_of_the_recurrence_allocates_nothing()
    {
        // A run's fixed cost (W's panel copy, buffers, the operator) is the same for any T: the difference between
        // 2000 and 1000 steps is what the steps allocate.
        const int hidden = 64;
        Variables variables = LaxScanFunctions.Params(PrngKey.FromSeed(2), hidden);
        var x = new NDArray<float>(new Shape(hidden), [.. Enumerable.Range(0, hidden).Select(i => MathF.Cos(i))]);
        // A one-time allocation (the runtime tiering a method up mid-run, a static made on first use) can land in any
        // one measurement; an allocation per step lands in every one (1000 more steps, at least 1000 more bytes). So the
        // two runs must allocate alike in at least one of five tries.
        var options = new LaxScanOptions { Threads = 1 };
        LaxScanFunctions.Apply(variables, x, hidden, 2000, options);
        var differences = new List<long>();
        for (int attempt = 0; attempt < 5; attempt++)
        {
            long a = GC.GetAllocatedBytesForCurrentThread();
            LaxScanFunctions.Apply(variables, x, hidden, 1000, options);
            long b = GC.GetAllocatedBytesForCurrentThread();
            LaxScanFunctions.Apply(variables, x, hidden, 2000, options);
            long c = GC.GetAllocatedBytesForCurrentThread();
            differences.Add((c - b) - (b - a));
            if (differences[^1] == 0)
            {
                return;
            }
        }

        Assert.Fail($"1000 more steps allocated more in every try: {string.Join(", ", differences)} bytes");
    }

    [Fact]
    public void A_cancelled_token_stops_a_batch_even_with_no_scan_step()
    {
        // Before, the token was looked at only between scan steps: T = 0 over a large batch ran to its end.
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var x = new NDArray<float>(new Shape(1000, 4));
        Assert.Throws<OperationCanceledException>(() => LaxScanInModule(PrngKey.FromSeed(0), x, 4, 0, cancellationToken: cts.Token));
    }
}

/// <summary>The seed's three system behaviours, each shown with a module of its own.</summary>
public class SeedBehaviourTests
{
    /// <summary>The wrong way round: the param is declared inside the scan body.</summary>
    private sealed class ParamInsideScan : Module<NDArray<float>, NDArray<float>>
    {
        protected override NDArray<float> Call(Scope scope, NDArray<float> input) =>
            LaxScan.Lax.Scan(
                carry =>
                {
                    NDArray<float> w = scope.Param("W", Initializers.LecunNormal(), new Shape(carry.Length, carry.Length));
                    return (carry, null);
                },
                input,
                2).Carry;
    }

    /// <summary>A submodule made inside a scan body, two transforms deep.</summary>
    private sealed class DenseInsideNestedScan : Module<NDArray<float>, NDArray<float>>
    {
        protected override NDArray<float> Call(Scope scope, NDArray<float> input) =>
            LaxScan.Lax.Scan(
                outer => (LaxScan.Lax.Scan(inner => (scope.Call(new Dense(inner.Length), inner), null), outer, 1).Carry, null),
                input,
                1).Carry;
    }

    [Fact]
    public void A_param_created_inside_a_scan_body_is_Flax_s_transform_error()
    {
        var e = Assert.Throws<JaxTransformError>(() => new ParamInsideScan().Init(PrngKey.FromSeed(0), new NDArray<float>(new Shape(3))));
        Assert.StartsWith("Jax transforms and Flax models cannot be mixed.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_submodule_created_inside_nested_scan_bodies_is_the_same_error()
    {
        var e = Assert.Throws<JaxTransformError>(() => new DenseInsideNestedScan().Init(PrngKey.FromSeed(0), new NDArray<float>(new Shape(3))));
        Assert.StartsWith("Jax transforms and Flax models cannot be mixed.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_body_returns_a_carry_and_no_output_and_the_ys_may_also_be_stacked()
    {
        var init = new NDArray<float>(new Shape(2), [0.5f, -0.5f]);
        var w = new NDArray<float>(new Shape(2, 2), [0.9f, 0.1f, -0.2f, 0.8f]);
        (NDArray<float> carry, NDArray<float>? none) = LaxScan.Lax.Scan(c => (Step(c, w), null), init, 3);
        (NDArray<float> carry2, NDArray<float>? ys) = LaxScan.Lax.Scan(c => { var n = Step(c, w); return (n, n); }, init, 3);
        Assert.Null(none);
        Assert.NotNull(ys);
        Assert.Equal(new Shape(3, 2), ys.Shape);
        Bits.Equal(carry.Span, carry2.Span);
        Bits.Equal(carry.Span, ys.Span[4..]);
    }

    [Fact]
    public void A_body_whose_carry_changes_shape_is_JAX_s_equal_types_error()
    {
        var e = Assert.Throws<ScanCarryTypeError>(() =>
            LaxScan.Lax.Scan(c => (new NDArray<float>(new Shape(c.Length + 1)), null), new NDArray<float>(new Shape(3)), 1));
        Assert.Contains("carry input and carry output must have equal types", e.Message, StringComparison.Ordinal);
        Assert.Contains("The input carry c has type float32[3] but the corresponding output carry component has type float32[4], so the shapes do not match.", e.Message, StringComparison.Ordinal);
    }

    private static NDArray<float> Step(NDArray<float> c, NDArray<float> w)
    {
        var next = new NDArray<float>(c.Shape);
        Gemv.Multiply(c.Span, w.Span, next.Span);
        XlaMath.Tanh(next.Span, next.Span);
        return next;
    }
}
