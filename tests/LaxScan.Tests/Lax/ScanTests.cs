namespace LaxScan.Tests.Lax;

using Lax = LaxScan.Lax;

public class ScanTests
{
    private static NDArray<float> Vector(params float[] values) => new(new Shape(values.Length), values);

    [Fact]
    public void Runs_the_body_length_times_and_returns_the_final_carry_with_no_ys()
    {
        (NDArray<float> carry, NDArray<float>? ys) = Lax.Scan(c => (Vector(c.Span[0] + 1f), null), Vector(0f), 5);
        Assert.Equal(5f, carry.Span[0]);
        Assert.Null(ys);
    }

    [Fact]
    public void Stacks_ys_along_a_new_leading_axis()
    {
        (NDArray<float> carry, NDArray<float>? ys) = Lax.Scan(c => (Vector(c.Span[0] * 2f), Vector(c.Span[0], -c.Span[0])), Vector(1f), 3);
        Assert.Equal(8f, carry.Span[0]);
        Assert.NotNull(ys);
        Assert.Equal(new Shape(3, 2), ys.Shape);
        Assert.Equal(new[] { 1f, -1f, 2f, -2f, 4f, -4f }, ys.Span.ToArray());
    }

    [Fact]
    public void Reverse_runs_last_to_first_and_keeps_ys_at_their_positions()
    {
        NDArray<float> xs = new(new Shape(3, 1), [1f, 2f, 3f]);
        var order = new List<float>();
        (NDArray<float> carry, NDArray<float>? ys) = Lax.Scan(
            (c, x) =>
            {
                order.Add(x.Span[0]);
                return (Vector(c.Span[0] + x.Span[0]), Vector(c.Span[0]));
            },
            Vector(0f),
            xs,
            reverse: true);
        Assert.Equal(new[] { 3f, 2f, 1f }, order);
        Assert.Equal(6f, carry.Span[0]);
        // ys[i] is the carry seen at xs[i]: 5 before adding 1, 3 before adding 2, 0 before adding 3.
        Assert.Equal(new[] { 5f, 3f, 0f }, ys!.Span.ToArray());
    }

    [Fact]
    public void Zero_length_returns_the_initial_carry()
    {
        NDArray<float> init = Vector(3f);
        (NDArray<float> carry, NDArray<float>? ys) = Lax.Scan(c => (Vector(99f), null), init, 0);
        Assert.Same(init, carry);
        Assert.Null(ys);
    }

    [Fact]
    public void Negative_length_is_an_error()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Lax.Scan(c => (c, null), Vector(0f), -1));
        Assert.Contains("scan length must be >= 0, but was given -1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_carry_whose_shape_changes_is_JAX_s_equal_types_error()
    {
        var e = Assert.Throws<ScanCarryTypeError>(() => Lax.Scan(c => (Vector(1f, 2f, 3f, 4f), null), Vector(1f, 2f, 3f), 2));
        Assert.Equal(
            "scan body function carry input and carry output must have equal types, but they differ:\n\n"
            + "The input carry c has type float32[3] but the corresponding output carry component has type float32[4], so the shapes do not match.\n\n"
            + "Revise the function so that all output types match the corresponding input types.",
            e.Message);
    }

    [Fact]
    public void A_carry_whose_dtype_and_shape_change_names_both()
    {
        var e = Assert.Throws<ScanCarryTypeError>(() =>
            Lax.Scan<INDArray>(c => (new NDArray<uint>(new Shape(2)), null), Vector(1f), 1));
        Assert.Contains("The input carry c has type float32[1] but the corresponding output carry component has type uint32[2], so the dtypes do not match, and the shapes do not match.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tuple_carries_name_each_differing_component_by_path()
    {
        var e = Assert.Throws<ScanCarryTypeError>(() =>
            Lax.Scan(state => ((Vector(1f, 2f), Vector(1f, 2f)), null), (Vector(1f), Vector(1f)), 1));
        Assert.Contains(
            "  * the input carry component state[0] has type float32[1] but the corresponding output carry component has type float32[2], so the shapes do not match;\n"
            + "  * the input carry component state[1] has type float32[1] but the corresponding output carry component has type float32[2], so the shapes do not match.\n",
            e.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void A_carry_whose_structure_changes_is_the_pytree_structure_error()
    {
        var e = Assert.Throws<ScanCarryTypeError>(() =>
            Lax.Scan<object>(c => ((Vector(1f), Vector(2f)), null), Vector(1f), 1));
        Assert.StartsWith("scan body function carry input and carry output must have the same pytree structure, but they differ:", e.Message, StringComparison.Ordinal);
        Assert.Contains("the input tree structure is:\n*\n", e.Message, StringComparison.Ordinal);
        Assert.Contains("the output tree structure is:\n(*, *)\n", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ys_of_changing_shape_are_an_error()
    {
        var e = Assert.Throws<InvalidOperationException>(() =>
            Lax.Scan(c => (Vector(c.Span[0] + 1), c.Span[0] == 0 ? Vector(1f) : Vector(1f, 2f)), Vector(0f), 2));
        Assert.Contains("every step must return ys of one shape", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_body_runs_inside_a_transform_level()
    {
        int outside = TraceContext.Depth;
        var seen = new List<int>();
        Lax.Scan(c =>
        {
            seen.Add(TraceContext.Depth);
            Lax.Scan(d =>
            {
                seen.Add(TraceContext.Depth);
                return (d, null);
            }, c, 1);
            return (c, null);
        }, Vector(0f), 1);
        Assert.Equal(new[] { outside + 1, outside + 2 }, seen);
        Assert.Equal(outside, TraceContext.Depth);
    }

    [Fact]
    public void The_transform_level_is_left_when_the_body_throws()
    {
        int outside = TraceContext.Depth;
        Assert.Throws<DivideByZeroException>(() => Lax.Scan<NDArray<float>>(c => throw new DivideByZeroException(), Vector(0f), 1));
        Assert.Equal(outside, TraceContext.Depth);
    }
}
