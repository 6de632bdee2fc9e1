namespace LaxScan.Verification;

/// <summary>
/// One case being checked: what a <see cref="ICaseHandler"/> reads (the case, JAX's result, the JAX release whose rules
/// apply) and the comparisons it reports through, which record every element whose bits differ.
/// </summary>
internal sealed class CaseCheck
{
    private readonly List<BitMismatch> _listed = [];
    private readonly List<string> _notes = [];
    private readonly int _maxListed;

    internal CaseCheck(BundleCase bundleCase, CaseTruth truth, JaxVersion version, int maxListed, CancellationToken cancellationToken = default)
    {
        Case = bundleCase;
        Truth = truth;
        Version = version;
        _maxListed = maxListed;
        CancellationToken = cancellationToken;
    }

    /// <summary>The case as <c>cases.json</c> gives it.</summary>
    public BundleCase Case { get; }

    /// <summary>JAX's result for the case.</summary>
    public CaseTruth Truth { get; }

    /// <summary>The JAX release whose rules LaxScan follows for this bundle.</summary>
    public JaxVersion Version { get; }

    /// <summary>
    /// The verification's cancellation (the token given to <see cref="Verifier.Verify"/>): a handler passes it to every
    /// library call that takes one, so a case of many steps stops inside the case, not only between cases.
    /// </summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>How many elements were compared.</summary>
    public long Compared { get; private set; }

    /// <summary>How many compared elements differ.</summary>
    public long MismatchCount { get; private set; }

    /// <summary>The first mismatches.</summary>
    public IReadOnlyList<BitMismatch> Mismatches => _listed;

    /// <summary>Set by <see cref="MarkInformational"/>: the case is compared but not counted.</summary>
    public string? InformationalReason { get; private set; }

    /// <summary>Set by <see cref="Skip"/>: nothing was compared.</summary>
    public string? SkipReason { get; private set; }

    /// <summary>
    /// What was compared outside the count (<see cref="Float32Informational"/>): one note per such field, saying how
    /// many of its elements differ and why it does not count.
    /// </summary>
    public IReadOnlyList<string> Notes => _notes;

    /// <summary>Compares a float32 array with the result field written as <c>[bits, shape]</c>: the shape, then every bit.</summary>
    public void Float32(string field, NDArray<float> actual)
    {
        ArgumentNullException.ThrowIfNull(actual);
        (uint[] bits, int[] shape) = Truth.Float32Array(field);
        if (!shape.AsSpan().SequenceEqual(actual.Shape.Dimensions))
        {
            throw new ReferenceBundleException($"case '{Case.Id}': JAX's {field} has shape ({string.Join(", ", shape)}) but LaxScan's has {actual.Shape}; the case and the result disagree");
        }

        CompareFloats(field, bits, actual.Span);
    }

    /// <summary>
    /// Compares a float32 array as <see cref="Float32(string, NDArray{float})"/> does, but outside the count: its
    /// mismatches neither fail the case nor are listed; a note (<see cref="Notes"/>) says how many elements differ and
    /// <paramref name="reason"/> says why the field is not held to LaxScan's promise.
    /// </summary>
    public void Float32Informational(string field, NDArray<float> actual, string reason)
    {
        var side = new CaseCheck(Case, Truth, Version, maxListed: 0, CancellationToken);
        side.Float32(field, actual);
        _notes.Add(side.MismatchCount == 0
            ? $"{field}: all {side.Compared} elements bit-exact (informational: {reason})"
            : $"{field}: {side.MismatchCount} of {side.Compared} elements differ (informational, not counted: {reason})");
    }

    /// <summary>Compares float32 values with the result field written as a flat list of bit patterns.</summary>
    public void Float32List(string field, ReadOnlySpan<float> actual) => CompareFloats(field, Truth.Bits(field), actual);

    /// <summary>Compares unsigned integers (keys, random words) with the result field written as a flat list.</summary>
    public void Unsigned(string field, ReadOnlySpan<ulong> actual, string kind = "u32")
    {
        ulong[] expected = Truth.Unsigned(field);
        if (!SameLength(field, expected.Length, actual.Length))
        {
            return;
        }

        for (int i = 0; i < expected.Length; i++)
        {
            Compared++;
            if (expected[i] != actual[i])
            {
                Record(new BitMismatch(field, i, expected[i], actual[i], null, kind));
            }
        }
    }

    /// <summary>Compares bytes with the result field written as a hex string (<c>msgpack_hex</c>).</summary>
    public void HexBytes(string field, ReadOnlySpan<byte> actual)
    {
        byte[] expected;
        try
        {
            expected = Convert.FromHexString(Truth.String(field));
        }
        catch (FormatException e) when (e is not ReferenceBundleException)
        {
            throw new ReferenceBundleException($"the result of case '{Case.Id}' field \"{field}\" is not hex", e);
        }

        if (!SameLength(field, expected.Length, actual.Length))
        {
            return;
        }

        for (int i = 0; i < expected.Length; i++)
        {
            Compared++;
            if (expected[i] != actual[i])
            {
                Record(new BitMismatch(field, i, expected[i], actual[i], null, "byte"));
            }
        }
    }

    /// <summary>
    /// Compares the sha256 of <paramref name="data"/> with the result field written as a hex digest (a result too
    /// large to store whole, such as a big W): one mismatch when they differ, which cannot say where.
    /// </summary>
    public void Sha256(string field, ReadOnlySpan<byte> data)
    {
        string expected = Truth.String(field);
        byte[] actual = System.Security.Cryptography.SHA256.HashData(data);
        Compared++;
        if (!string.Equals(expected, Convert.ToHexStringLower(actual), StringComparison.OrdinalIgnoreCase))
        {
            ulong Prefix(ReadOnlySpan<byte> digest) => digest.Length >= 8 ? System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(digest) : 0;
            byte[] jax;
            try
            {
                jax = Convert.FromHexString(expected);
            }
            catch (FormatException e)
            {
                throw new ReferenceBundleException($"the result of case '{Case.Id}' field \"{field}\" is not a hex digest", e);
            }

            Record(new BitMismatch(field, -1, Prefix(jax), Prefix(actual), null, "sha256"));
        }
    }

    /// <summary>Marks the case as outside LaxScan's promise: it is compared and reported, but not counted.</summary>
    public void MarkInformational(string reason) => InformationalReason = reason;

    /// <summary>Marks the case as having nothing to compare.</summary>
    public void Skip(string reason) => SkipReason = reason;

    private void CompareFloats(string field, uint[] expected, ReadOnlySpan<float> actual)
    {
        if (!SameLength(field, expected.Length, actual.Length))
        {
            return;
        }

        for (int i = 0; i < expected.Length; i++)
        {
            Compared++;
            uint got = BitConverter.SingleToUInt32Bits(actual[i]);
            if (got == expected[i])
            {
                continue;
            }

            // NaN against NaN is a match whatever the payloads: docs/parity.md promises NaN where JAX gives NaN, not the payload.
            if (float.IsNaN(actual[i]) && float.IsNaN(BitConverter.UInt32BitsToSingle(expected[i])))
            {
                continue;
            }

            Record(new BitMismatch(field, i, expected[i], got, BitMismatch.UlpDistance(expected[i], got), "f32"));
        }
    }

    private bool SameLength(string field, int expected, int actual)
    {
        if (expected == actual)
        {
            return true;
        }

        Record(new BitMismatch(field, -1, (ulong)expected, (ulong)actual, null, "length"));
        return false;
    }

    private void Record(BitMismatch mismatch)
    {
        MismatchCount++;
        if (_listed.Count < _maxListed)
        {
            _listed.Add(mismatch);
        }
    }
}
