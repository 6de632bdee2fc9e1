using System.CommandLine;
using System.Text.Json;
using LaxScan.Cli.Parsing;
using LaxScan.Verification;

namespace LaxScan.Cli.Commands;

/// <summary>
/// <c>laxscan verify BUNDLE...</c>: recomputes every case of reference bundles made by a real JAX run and compares
/// LaxScan's bits with JAX's. The work is the library's <see cref="Verifier"/>; this file only parses and prints.
/// </summary>
/// <remarks>
/// Standard output gets the report as one JSON object (always complete: it is written after every case ran).
/// Standard error gets one line per mismatching element (at most <c>--max-mismatches</c> per case), then, when some
/// case is not bit-exact, the <c>error:</c> line the contract asks of every failure, and last one line per bundle,
/// <c>verify: P/Q cases bit-exact (jax X.Y.Z on CPU)</c>. Exit 0 when every counted case is bit-exact and every bundle
/// proves something (<see cref="BundleReport.Problem"/>: at least one case compared, and no more JAX failures than
/// compared cases); 1 otherwise, or when a bundle cannot be read (then one <c>error:</c> line and nothing on standard
/// output); 2 on a usage error.
/// </remarks>
internal static class VerifyCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        var command = new Command(
            "verify",
            "Check LaxScan against reference bundles made by a real JAX run (reference/jax/capture.py): recompute every case and compare the bits. "
            + "Prints a JSON report; on standard error one line per mismatching element and last 'verify: P/Q cases bit-exact (jax X.Y.Z on CPU)'. "
            + "Exit 0 only when every case is bit-exact and each bundle had a case compared (and no more cases failed in JAX than were compared). The rules are those of the bundle's jaxlib (XLA ships in it), else its jax.");
        CliHelp.Examples(
            command,
            "python3 reference/jax/capture.py --out bundle/   # where jax and flax are installed",
            "laxscan verify bundle/",
            "laxscan verify bundle/ --jax-version 0.10.0");
        var bundles = new Argument<string[]>("BUNDLE")
        {
            Description = "A bundle folder: cases.json, truth.json and (from capture.py) provenance.json.",
            Arity = ArgumentArity.OneOrMore,
        };
        bundles.Validators.Add(result =>
        {
            // The parser hands an unknown option to a many-valued argument; it is a usage error, not a folder name.
            foreach (string given in result.GetValueOrDefault<string[]>() ?? [])
            {
                if (given.StartsWith('-'))
                {
                    result.AddError($"Unrecognized command or argument '{given}'.");
                }
            }
        });
        command.Arguments.Add(bundles);
        Option<string?> version = CliOptions.CreateReference<string>(
            "--jax-version",
            "X.Y.Z",
            "Follow this JAX release's rules instead of the version the bundle records. [default: the bundle's]",
            (string text, string what, out string value, out string? error) =>
            {
                value = text;
                error = null;
                try
                {
                    _ = JaxVersion.Parse(text);
                    return true;
                }
                catch (FormatException)
                {
                    error = $"{what} expects a JAX version such as 0.10.2, but got '{text}'";
                    return false;
                }
                catch (NotSupportedException)
                {
                    // Well formed but refused: the run reports it (exit 1), as it does for a bundle of that release.
                    return true;
                }
            });
        Option<int?> maxListed = CliOptions.Create<int>("--max-mismatches", "N", "How many mismatching elements to list per case (all are counted). [default: 8]", CliValues.TryParseInt32);
        command.Options.Add(version);
        command.Options.Add(maxListed);
        command.SetAction(result =>
        {
            int listed = result.GetValue(maxListed) ?? 8;
            if (listed < 0)
            {
                throw new UsageException($"--max-mismatches must be 0 or more, but got {listed}");
            }

            string[] paths = result.GetValue(bundles) ?? [];
            JaxVersion? forced = result.GetValue(version) is { } text ? JaxVersion.Parse(text) : null;
            return Run(context, paths, forced, listed);
        });
        return command;
    }

    private static int Run(CliContext context, string[] paths, JaxVersion? forced, int listed)
    {
        // Read every bundle first: one that cannot be read is the one error line, before anything runs.
        ReferenceBundle[] loaded = context.Compute(() => paths.Select(ReferenceBundle.Load).ToArray());

        // Ctrl-C and SIGTERM are the command line's (LaxScanCli): the verifier stops between cases and the handlers
        // inside a case (between steps), and the OperationCanceledException becomes the one line "error: interrupted"
        // and exit 130, with nothing on stdout.
        var options = new VerifyOptions { JaxVersion = forced, MaxListedPerCase = listed };
        var verifier = new Verifier();
        var reports = new List<BundleReport>();
        foreach (ReferenceBundle bundle in loaded)
        {
            reports.Add(verifier.Verify(bundle, options, context.Cancellation));
        }

        context.Out.Write(Json(reports));
        context.Out.Write('\n');
        context.Out.Flush();

        bool several = reports.Count > 1;
        int notExact = 0;
        foreach (BundleReport report in reports)
        {
            string prefix = several ? report.Path + ": " : string.Empty;
            foreach (CaseReport c in report.Cases.Where(c => c.Status != CaseStatus.Skipped && c.Status != CaseStatus.JaxFailed && (c.Status != CaseStatus.BitExact || c.Reason is not null)))
            {
                notExact += c.Status.Counts() && c.Status != CaseStatus.BitExact ? 1 : 0;
                WriteCase(context.Error, prefix, c);
            }
        }

        // One error line for everything that fails the command: cases that differ, and bundles that prove too little
        // (nothing compared, or more JAX failures than compared cases), which would otherwise print "0/0" and pass.
        var failures = new List<string>();
        if (notExact > 0)
        {
            failures.Add($"{notExact} of {reports.Sum(r => r.Counted)} cases are not bit-exact with JAX");
        }

        failures.AddRange(reports.Select(r => r.Problem).OfType<string>());
        if (failures.Count > 0)
        {
            context.Error.Write($"error: {string.Join("; ", failures)}\n");
        }

        foreach (BundleReport report in reports)
        {
            context.Error.Write((several ? report.Path + ": " : string.Empty) + report.SummaryLine + "\n");
        }

        context.Error.Flush();
        return failures.Count == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary>One line per listed mismatch, or one line with the reason when nothing was compared element by element.</summary>
    private static void WriteCase(TextWriter error, string prefix, CaseReport c)
    {
        string head = c.Status == CaseStatus.Informational ? $"{prefix}{c.Id} ({c.Kind}, informational)" : $"{prefix}{c.Id} ({c.Kind})";
        if (c.Status == CaseStatus.BitExact)
        {
            // Bit-exact with notes: a field compared outside the count (states the harness flagged).
            error.Write($"{head} bit_exact; {ErrorText.OneLine(c.Reason ?? string.Empty)}\n");
            return;
        }

        if (c.Mismatches.Count == 0)
        {
            error.Write($"{head} {c.Status.Name()}: {ErrorText.OneLine(c.Reason ?? string.Empty)}\n");
            return;
        }

        foreach (BitMismatch m in c.Mismatches)
        {
            error.Write($"{head} {m}\n");
        }

        if (c.MismatchCount > c.Mismatches.Count)
        {
            error.Write($"{head} ... {c.MismatchCount - c.Mismatches.Count} more elements differ\n");
        }
    }

    private static string Json(IReadOnlyList<BundleReport> reports)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteBoolean("bit_exact", reports.All(r => r.AllBitExact && r.Problem is null));
            w.WriteNumber("cases", reports.Sum(r => r.Counted));
            w.WriteNumber("bit_exact_cases", reports.Sum(r => r.BitExact));
            w.WriteStartArray("bundles");
            foreach (BundleReport r in reports)
            {
                WriteBundle(w, r);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteBundle(Utf8JsonWriter w, BundleReport r)
    {
        w.WriteStartObject();
        w.WriteString("path", r.Path);
        w.WriteString("jax", r.JaxVersionText);
        w.WriteString("jaxlib", r.JaxlibVersionText);
        w.WriteString("cpu", r.Cpu);
        w.WriteString("rules", r.Version.RulesVersion.ToString());
        w.WriteBoolean("rules_established", r.Version.RulesAreEstablished);
        w.WriteBoolean("version_from_bundle", r.VersionFromBundle);
        w.WriteNumber("cases", r.Counted);
        w.WriteNumber("bit_exact_cases", r.BitExact);
        w.WriteNumber("compared_cases", r.Compared);
        w.WriteString("problem", r.Problem);
        w.WriteStartObject("statuses");
        foreach ((CaseStatus status, int n) in r.CountByStatus.OrderBy(kv => kv.Key))
        {
            w.WriteNumber(status.Name(), n);
        }

        w.WriteEndObject();
        w.WriteString("summary", r.SummaryLine);
        w.WriteStartArray("not_bit_exact");
        foreach (CaseReport c in r.Cases.Where(c => c.Status != CaseStatus.BitExact))
        {
            w.WriteStartObject();
            w.WriteString("case", c.Id);
            w.WriteString("kind", c.Kind);
            w.WriteString("status", c.Status.Name());
            w.WriteString("reason", c.Reason);
            w.WriteNumber("mismatch_count", c.MismatchCount);
            w.WriteStartArray("mismatches");
            foreach (BitMismatch m in c.Mismatches)
            {
                w.WriteStartObject();
                w.WriteString("field", m.Field);
                w.WriteNumber("index", m.Index);
                w.WriteString("type", m.Kind);
                w.WriteNumber("jax", m.Jax);
                w.WriteNumber("laxscan", m.LaxScan);
                if (m.Ulps is { } u)
                {
                    w.WriteNumber("ulps", u);
                }
                else
                {
                    w.WriteNull("ulps");
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }
}
