namespace LaxScan.Tests;

/// <summary>
/// <see cref="JaxVersion"/>: release numbers, and the version splits docs/parity.md cites from the XLA sources at
/// each release's pinned commit (the boundaries are the first and last releases on each side).
/// </summary>
public class JaxVersionTests
{
    private static JaxVersion V(string text) => JaxVersion.Parse(text);

    [Theory]
    [InlineData("0.10.2", "0.10.2")]
    [InlineData("0.9.0.1", "0.9.0.1")]
    [InlineData(" v0.11.0 ", "0.11.0")]
    [InlineData("0.12.0rc1", "0.12.0")]
    [InlineData("0.11.2.dev20261001", "0.11.2")]
    [InlineData("0.10.0+cuda12", "0.10.0")]
    public void Parses_releases_and_drops_suffixes(string text, string expected) => Assert.Equal(expected, V(text).ToString());

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("1")]
    [InlineData("0..1")]
    [InlineData("x0.10")]
    [InlineData("0.10,1")]
    public void Rejects_what_is_not_a_version(string text) => Assert.Throws<FormatException>(() => V(text));

    [Fact]
    public void Refuses_releases_older_than_the_rules_were_read_for()
    {
        var e = Assert.Throws<NotSupportedException>(() => V("0.4.38"));
        Assert.Contains("older than 0.5.0", e.Message, StringComparison.Ordinal);
        Assert.Equal("0.5.0", V("0.5.0").ToString());
    }

    [Fact]
    public void Orders_by_number_with_missing_parts_as_zero()
    {
        Assert.True(V("0.9.0") < V("0.9.0.1"));
        Assert.True(V("0.9.0.1") < V("0.9.1"));
        Assert.True(V("0.10.0") > V("0.9.2"));
        Assert.Equal(V("0.10"), V("0.10.0"));
        Assert.Equal(V("0.10").GetHashCode(), V("0.10.0").GetHashCode());
        Assert.NotEqual(V("0.10.1"), V("0.10.0"));
    }

    [Theory]
    [InlineData("0.5.0", nameof(ErfRule.SaturateFrom3_8325))]
    [InlineData("0.7.0", nameof(ErfRule.SaturateFrom3_8325))]
    [InlineData("0.7.1", nameof(ErfRule.ClampAt3_7439))]
    [InlineData("0.10.0", nameof(ErfRule.ClampAt3_7439))]
    [InlineData("0.10.1", nameof(ErfRule.SaturateFrom3_7439))]
    [InlineData("0.11.0", nameof(ErfRule.SaturateFrom3_7439))]
    [InlineData("0.12.0", nameof(ErfRule.SaturateFrom3_7439))]
    public void Erf_rule_changes_at_0_7_1_and_0_10_1(string version, string rule) => Assert.Equal(Enum.Parse<ErfRule>(rule), V(version).ErfRule);

    [Theory]
    [InlineData("0.8.1", 64, false)]
    [InlineData("0.8.2", 7, false)]
    [InlineData("0.8.2", 8, true)]
    [InlineData("0.9.0.1", 4096, true)]
    [InlineData("0.9.1", 8, false)]
    public void YNNPACK_takes_the_dot_with_8_or_more_outputs_from_0_8_2_to_0_9_0_1(string version, int hidden, bool ynnpack)
    {
        Assert.Equal(ynnpack, V(version).UsesYnnpackForVectorMatrixDot(hidden));
        if (ynnpack)
        {
            var e = Assert.Throws<NotSupportedException>(() => V(version).EnsureVectorMatrixDotIsReproducible(hidden));
            Assert.Contains("YNNPACK", e.Message, StringComparison.Ordinal);
        }
        else
        {
            V(version).EnsureVectorMatrixDotIsReproducible(hidden);
        }
    }

    [Fact]
    public void Dense_bias_is_output_fused_before_0_10_2()
    {
        Assert.True(V("0.10.1").FusesDenseBias);
        Assert.False(V("0.10.2").FusesDenseBias);
    }

    [Fact]
    public void Releases_after_0_11_0_run_with_its_rules_and_are_not_established()
    {
        Assert.Equal(V("0.11.0"), JaxVersion.Default);
        Assert.True(V("0.11.0").RulesAreEstablished);
        Assert.False(V("0.11.1").RulesAreEstablished);
        Assert.Equal(V("0.11.0"), V("0.11.2").RulesVersion);
        Assert.Equal(V("0.9.2"), V("0.9.2").RulesVersion);
    }
}
