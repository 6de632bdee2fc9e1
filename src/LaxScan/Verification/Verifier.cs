namespace LaxScan.Verification;

/// <summary>
/// Recomputes every case of a <see cref="ReferenceBundle"/> with LaxScan and compares the bits with JAX's: the engine
/// behind <c>laxscan verify</c> and the fixture tests.
/// </summary>
/// <param name="handlers">The case handlers, one per kind; null for <see cref="CaseHandlers.Default"/>.</param>
internal sealed class Verifier(IEnumerable<ICaseHandler>? handlers = null)
{
    private readonly Dictionary<string, ICaseHandler> _handlers = (handlers ?? CaseHandlers.Default).ToDictionary(h => h.Kind, StringComparer.Ordinal);

    /// <summary>
    /// The release whose rules a bundle is checked with: the option's, else the bundle's <c>jaxlib</c> (XLA, which
    /// decides the bits, ships in jaxlib), else its <c>jax</c>.
    /// </summary>
    /// <exception cref="ReferenceBundleException">The bundle records no JAX version and none was given.</exception>
    /// <exception cref="FormatException">The recorded version is not a version.</exception>
    /// <exception cref="NotSupportedException">The release is older than LaxScan follows.</exception>
    public static JaxVersion VersionFor(ReferenceBundle bundle, VerifyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        if (options?.JaxVersion is { } forced)
        {
            return forced;
        }

        string text = bundle.Provenance.RulesVersionText
            ?? throw new ReferenceBundleException($"bundle '{bundle.Path}' does not say which JAX made it (no \"jaxlib\" or \"jax\" in provenance.json or in truth.json's meta); give the version with --jax-version");
        return JaxVersion.Parse(text);
    }

    /// <summary>Checks every case of the bundle.</summary>
    /// <exception cref="ReferenceBundleException">A case or result breaks the schema (the message names the bundle).</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled (checked between cases and, by the handlers, inside a long case).</exception>
    public BundleReport Verify(ReferenceBundle bundle, VerifyOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        options ??= VerifyOptions.Default;
        JaxVersion version = VersionFor(bundle, options);
        var reports = new List<CaseReport>(bundle.Cases.Count);
        foreach (BundleCase c in bundle.Cases)
        {
            cancellationToken.ThrowIfCancellationRequested();
            reports.Add(Check(bundle, c, version, options, cancellationToken));
        }

        return new BundleReport(bundle, version, options.JaxVersion is null, reports);
    }

    /// <summary>Checks one case of the bundle (the fixture tests run each case as its own test).</summary>
    /// <exception cref="ReferenceBundleException">The case or its result breaks the schema.</exception>
    public CaseReport VerifyCase(ReferenceBundle bundle, BundleCase bundleCase, VerifyOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(bundleCase);
        options ??= VerifyOptions.Default;
        return Check(bundle, bundleCase, VersionFor(bundle, options), options, cancellationToken);
    }

    private CaseReport Check(ReferenceBundle bundle, BundleCase c, JaxVersion version, VerifyOptions options, CancellationToken cancellationToken)
    {
        CaseReport Report(CaseStatus status, string? reason, CaseCheck? check = null) =>
            new(c.Id, c.Kind, status, reason, check?.Mismatches ?? [], check?.MismatchCount ?? 0);

        if (!_handlers.TryGetValue(c.Kind, out ICaseHandler? handler))
        {
            return Report(CaseStatus.UnknownKind, $"no handler for kind '{c.Kind}' in this LaxScan; known: {string.Join(", ", _handlers.Keys.Order(StringComparer.Ordinal))}");
        }

        CaseTruth? truth = bundle.ResultOf(c.Id);
        if (truth is null)
        {
            return Report(CaseStatus.Skipped, "the bundle has no result for this case (the JAX run did not reach it)");
        }

        if (truth.Error is { } error)
        {
            return Report(CaseStatus.JaxFailed, "JAX failed on this case: " + LastLine(error));
        }

        var check = new CaseCheck(c, truth, version.RulesVersion, Math.Max(0, options.MaxListedPerCase), cancellationToken);
        try
        {
            handler.Check(check);
        }
        catch (NotSupportedException e)
        {
            return Report(CaseStatus.Refused, e.Message, check);
        }
        catch (ReferenceBundleException e) when (!e.Message.StartsWith("bundle '", StringComparison.Ordinal))
        {
            // A case's field error names the case; with several bundles the reader also needs to know which bundle.
            throw new ReferenceBundleException($"bundle '{bundle.Path}': {e.Message}", e);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or KeyNotFoundException or FormatException or OverflowException or Linen.IFlaxError or InsufficientMemoryException)
        {
            return Report(CaseStatus.Failed, $"LaxScan failed: {e.GetType().Name}: {MessageOf(e)}", check);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (check.SkipReason is { } skip)
        {
            return Report(CaseStatus.Skipped, skip, check);
        }

        if (check.InformationalReason is { } info)
        {
            return Report(CaseStatus.Informational, check.MismatchCount == 0 ? info : $"{info}; {check.MismatchCount} of {check.Compared} elements differ", check);
        }

        if (check.Compared == 0)
        {
            return Report(CaseStatus.Failed, "the handler compared nothing: the result has none of the fields it checks", check);
        }

        string? notes = check.Notes.Count == 0 ? null : string.Join("; ", check.Notes);
        return check.MismatchCount == 0
            ? Report(CaseStatus.BitExact, notes, check)
            : Report(CaseStatus.Mismatch, $"{check.MismatchCount} of {check.Compared} elements differ" + (notes is null ? string.Empty : "; " + notes), check);
    }

    // ArgumentException appends " (Parameter 'name')", a .NET parameter name that means nothing to a bundle's reader.
    private static string MessageOf(Exception e)
    {
        if (e is ArgumentException { ParamName: { } name })
        {
            string suffix = $" (Parameter '{name}')";
            int at = e.Message.IndexOf(suffix, StringComparison.Ordinal);
            return at < 0 ? e.Message : e.Message.Remove(at, suffix.Length);
        }

        return e.Message;
    }

    private static string LastLine(string text)
    {
        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? text : lines[^1];
    }
}
