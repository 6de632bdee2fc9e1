using System.Globalization;

namespace LaxScan;

/// <summary>
/// A JAX release (<c>0.10.2</c>, <c>0.9.0.1</c>) and the XLA:CPU rules LaxScan follows for it. The few places where
/// XLA's float32 results changed between releases are selected by this value, passed explicitly (never a global
/// setting), so two computations in one process can follow different releases.
/// </summary>
/// <remarks>
/// <para>
/// The rules were read in the XLA sources at the commit each JAX release pins (<c>docs/parity.md</c> cites them);
/// none has yet been checked against a real JAX run. <see cref="Default"/> is the newest release whose rules are
/// established that way. The version splits:
/// </para>
/// <list type="bullet">
/// <item><description><see cref="ErfRule"/>: before 0.7.1 erf saturates to +-1 from |x| &gt;= 0x407547CB; 0.7.1 to 0.10.0
/// clamp x to +-0x406F9C68 and evaluate the polynomial there; from 0.10.1 it saturates from |x| &gt;= 0x406F9C68.</description></item>
/// <item><description><see cref="UsesYnnpackForVectorMatrixDot"/>: 0.8.2 to 0.9.0.1 send a row-major <c>x @ W</c> with H &gt;= 8 to
/// YNNPACK, whose summation order no source describes, so LaxScan refuses those runs.</description></item>
/// <item><description><see cref="FusesDenseBias"/>: before 0.10.2 XLA output-fuses <c>dot + bias</c> into the GEMV (the sum starts
/// at the bias) where both are in one compiled computation; from 0.10.2 the bias is a separate add.</description></item>
/// <item><description><see cref="RulesAreEstablished"/>: JAX 0.11.1 and later pin an XLA built after LLVM removed
/// <c>TargetOptions::AllowFPOpFusion</c>, from which XLA:CPU took all its mul+add contraction; LaxScan runs them with
/// 0.11.0's rules (<see cref="RulesVersion"/>) and reports them as unverified.</description></item>
/// </list>
/// </remarks>
public sealed class JaxVersion : IComparable<JaxVersion>, IEquatable<JaxVersion>
{
    private readonly int[] _parts;

    private JaxVersion(int[] parts) => _parts = parts;

    /// <summary>The oldest release LaxScan follows: 0.5.0, the first with partitionable threefry by default.</summary>
    public static JaxVersion Oldest { get; } = new([0, 5, 0]);

    /// <summary>The newest release whose rules were established in the sources: 0.11.0 (XLA 131bf41).</summary>
    public static JaxVersion NewestEstablished { get; } = new([0, 11, 0]);

    /// <summary>What LaxScan follows when no version is given: <see cref="NewestEstablished"/>.</summary>
    public static JaxVersion Default => NewestEstablished;

    /// <summary>The release's numbers, most significant first (<c>0.9.0.1</c> has four).</summary>
    public IReadOnlyList<int> Parts => _parts;

    /// <summary>
    /// Whether this release's XLA:CPU rules were read in its sources. False for releases after 0.11.0, which LaxScan
    /// runs with 0.11.0's rules.
    /// </summary>
    public bool RulesAreEstablished => CompareTo(NewestEstablished) <= 0;

    /// <summary>The release whose rules LaxScan applies: this one, or 0.11.0 for a newer release.</summary>
    public JaxVersion RulesVersion => RulesAreEstablished ? this : NewestEstablished;

    /// <summary>How XLA:CPU's float32 erf treats large |x| in this release.</summary>
    internal ErfRule ErfRule =>
        this < V0_7_1 ? ErfRule.SaturateFrom3_8325
        : this < V0_10_1 ? ErfRule.ClampAt3_7439
        : ErfRule.SaturateFrom3_7439;

    /// <summary>
    /// Whether this release sends a row-major vector-matrix product with <paramref name="hidden"/> outputs to YNNPACK
    /// (0.8.2 to 0.9.0.1, H &gt;= 8), whose float32 summation order LaxScan cannot reproduce.
    /// </summary>
    /// <param name="hidden">H, the contracted length and the number of outputs of <c>x @ W</c>.</param>
    internal bool UsesYnnpackForVectorMatrixDot(int hidden) => hidden >= 8 && this >= V0_8_2 && this <= V0_9_0_1;

    /// <summary>
    /// Whether XLA output-fuses <c>add(dot(x, kernel), bias)</c> into the GEMV, so that each output's sum starts at its
    /// bias (before 0.10.2, when the dot and the add are in one compiled computation).
    /// </summary>
    internal bool FusesDenseBias => this < V0_10_2;

    private static readonly JaxVersion V0_7_1 = new([0, 7, 1]);
    private static readonly JaxVersion V0_8_2 = new([0, 8, 2]);
    private static readonly JaxVersion V0_9_0_1 = new([0, 9, 0, 1]);
    private static readonly JaxVersion V0_10_1 = new([0, 10, 1]);
    private static readonly JaxVersion V0_10_2 = new([0, 10, 2]);

    /// <summary>
    /// Reads a release number such as <c>0.10.2</c> or <c>0.9.0.1</c>. A local or pre-release suffix (<c>0.11.2.dev20261001</c>,
    /// <c>0.10.0+cuda</c>, <c>0.12.0rc1</c>) is dropped: LaxScan's rules change only at releases.
    /// </summary>
    /// <exception cref="FormatException">The text is not a version.</exception>
    /// <exception cref="NotSupportedException">The release is older than <see cref="Oldest"/>.</exception>
    public static JaxVersion Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!TryParseNumbers(text, out int[]? parts))
        {
            throw new FormatException($"'{text}' is not a JAX version; expected numbers such as 0.10.2 or 0.9.0.1");
        }

        var version = new JaxVersion(parts);
        if (version < Oldest)
        {
            throw new NotSupportedException(
                $"JAX {version} is older than {Oldest}, the oldest release whose XLA:CPU rules LaxScan was built from; its results cannot be reproduced");
        }

        return version;
    }

    /// <summary>Throws when this release computes <c>x @ W</c> in a way LaxScan cannot reproduce for H outputs.</summary>
    /// <param name="hidden">H.</param>
    /// <exception cref="NotSupportedException">The release sends the product to YNNPACK.</exception>
    internal void EnsureVectorMatrixDotIsReproducible(int hidden)
    {
        if (UsesYnnpackForVectorMatrixDot(hidden))
        {
            throw new NotSupportedException(
                $"JAX {this} computes x @ W with H >= 8 in YNNPACK (JAX 0.8.2 to 0.9.0.1), whose float32 summation order no source describes, so LaxScan cannot give its bits for H = {hidden}; JAX before 0.8.2 and from 0.9.1 use XLA's own GEMV, which LaxScan follows");
        }
    }

    /// <summary>The release number, as JAX prints it.</summary>
    public override string ToString() => string.Join('.', _parts.Select(p => p.ToString(CultureInfo.InvariantCulture)));

    /// <inheritdoc />
    public int CompareTo(JaxVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        int n = Math.Max(_parts.Length, other._parts.Length);
        for (int i = 0; i < n; i++)
        {
            int a = i < _parts.Length ? _parts[i] : 0;
            int b = i < other._parts.Length ? other._parts[i] : 0;
            if (a != b)
            {
                return a.CompareTo(b);
            }
        }

        return 0;
    }

    /// <inheritdoc />
    public bool Equals(JaxVersion? other) => other is not null && CompareTo(other) == 0;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is JaxVersion other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        // 0.10 and 0.10.0 are equal, so trailing zeros must not change the hash.
        int length = _parts.Length;
        while (length > 1 && _parts[length - 1] == 0)
        {
            length--;
        }

        var hash = default(HashCode);
        for (int i = 0; i < length; i++)
        {
            hash.Add(_parts[i]);
        }

        return hash.ToHashCode();
    }

    /// <summary>Whether a is an older release than b.</summary>
    public static bool operator <(JaxVersion a, JaxVersion b) => Compare(a, b) < 0;

    /// <summary>Whether a is a newer release than b.</summary>
    public static bool operator >(JaxVersion a, JaxVersion b) => Compare(a, b) > 0;

    /// <summary>Whether a is b or older.</summary>
    public static bool operator <=(JaxVersion a, JaxVersion b) => Compare(a, b) <= 0;

    /// <summary>Whether a is b or newer.</summary>
    public static bool operator >=(JaxVersion a, JaxVersion b) => Compare(a, b) >= 0;

    /// <summary>Whether two versions name the same release.</summary>
    public static bool operator ==(JaxVersion? a, JaxVersion? b) => a is null ? b is null : a.Equals(b);

    /// <summary>Whether two versions name different releases.</summary>
    public static bool operator !=(JaxVersion? a, JaxVersion? b) => !(a == b);

    private static int Compare(JaxVersion a, JaxVersion b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.CompareTo(b);
    }

    private static bool TryParseNumbers(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out int[]? parts)
    {
        parts = null;
        string s = text.Trim();
        if (s.StartsWith('v') || s.StartsWith('V'))
        {
            s = s[1..];
        }

        // Keep the leading dotted numbers; a suffix (".dev...", "rc1", "+local") ends them.
        var numbers = new List<int>();
        int i = 0;
        while (true)
        {
            int start = i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }

            if (i == start || i - start > 6)
            {
                break;
            }

            numbers.Add(int.Parse(s.AsSpan(start, i - start), CultureInfo.InvariantCulture));
            if (i < s.Length && s[i] == '.' && i + 1 < s.Length && char.IsAsciiDigit(s[i + 1]))
            {
                i++;
                continue;
            }

            break;
        }

        bool suffixOk = i == s.Length || s[i] is '.' or '+' or '-' || char.IsAsciiLetter(s[i]);
        if (numbers.Count < 2 || !suffixOk)
        {
            return false;
        }

        parts = [.. numbers];
        return true;
    }
}

/// <summary>How XLA:CPU's float32 erf treats large |x|; which one applies is a property of the JAX release (<see cref="JaxVersion.ErfRule"/>).</summary>
internal enum ErfRule
{
    /// <summary>JAX before 0.7.1 (<c>EmitErfF32</c>): <c>|x| &gt;= 3.8325069</c> (0x407547CB) gives +-1.</summary>
    SaturateFrom3_8325,

    /// <summary>JAX 0.7.1 to 0.10.0 (<c>RewriteErf32Pattern</c>): x is clamped to +-3.7439212 (0x406F9C68) and the polynomial evaluated there, about 0.99999982 (0x3F7FFFFD).</summary>
    ClampAt3_7439,

    /// <summary>JAX 0.10.1 and later: <c>|x| &gt;= 3.7439212</c> (0x406F9C68) gives +-1.</summary>
    SaturateFrom3_7439,
}
