using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using LaxScan.Verification;

namespace LaxScan.Tests.Verification;

/// <summary>
/// The Python harness in <c>reference/jax/</c>, as far as it runs without JAX: its self-test (kind contract,
/// deterministic case lists, hashing, the CPU parser, every file compiles), and every kind it makes has a handler here.
/// </summary>
public class HarnessTests
{
    private static string Harness([CallerFilePath] string source = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "..", "..", "..", "reference", "jax"));

    private static (int ExitCode, string Output) Python(params string[] args)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Skip("python3 is not installed here; the harness self-test needs it (and no JAX)");
            throw;
        }

        using (process)
        {
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), "python3 did not finish in 3 minutes");
            return (process.ExitCode, stdout.Result + stderr.Result);
        }
    }

    [Fact]
    public void The_harness_self_test_passes_without_jax()
    {
        (int exitCode, string output) = Python(Path.Combine(Harness(), "selftest.py"));
        Assert.True(exitCode == 0, output);
        Assert.Contains("selftest: ok", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_kind_the_harness_makes_has_a_handler_and_its_fields_read()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"laxscan-cases-{Guid.NewGuid():N}");
        try
        {
            (int exitCode, string output) = Python(Path.Combine(Harness(), "capture.py"), "--cases-only", "--out", folder);
            Assert.True(exitCode == 0, output);
            using JsonDocument cases = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "cases.json")));
            string[] kinds = [.. cases.RootElement.EnumerateArray().Select(c => c.GetProperty("kind").GetString()!).Distinct().Order(StringComparer.Ordinal)];
            Assert.Equal<string>(["dense", "dot", "hlo", "init", "math", "mission", "random", "rnn", "rnn_math"], kinds);
            Assert.Equal<string>(kinds, [.. CaseHandlers.Default.Select(h => h.Kind).Order(StringComparer.Ordinal)]);

            // Each case's fields, as Python writes them, read and compute in C#; only the missing JAX result stops a
            // handler (nothing is compared: no truth is made up).
            Dictionary<string, ICaseHandler> handlers = CaseHandlers.Default.ToDictionary(h => h.Kind);
            using JsonDocument empty = JsonDocument.Parse("{}");
            foreach (JsonElement c in cases.RootElement.EnumerateArray())
            {
                string id = c.GetProperty("id").GetString()!;
                var check = new CaseCheck(new BundleCase(id, c.GetProperty("kind").GetString()!, c), new CaseTruth(id, empty.RootElement), JaxVersion.Default, 8);
                try
                {
                    handlers[check.Case.Kind].Check(check);
                }
                catch (ReferenceBundleException e)
                {
                    Assert.True(e.Message.StartsWith($"the result of case '{id}' has no ", StringComparison.Ordinal), e.Message);
                }
            }
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
