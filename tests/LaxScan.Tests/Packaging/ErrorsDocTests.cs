using LaxScan.Cli;

namespace LaxScan.Tests.Packaging;

/// <summary>docs/errors.md names every exception type the library and the tool define, so a new one cannot go undocumented.</summary>
public class ErrorsDocTests
{
    [Fact]
    public void Every_exception_type_of_the_library_and_the_tool_is_documented()
    {
        string doc = File.ReadAllText(ReadmeTests.FindRepoFile("docs/errors.md"));
        Type[] exceptions = [.. new[] { typeof(NDArray<>).Assembly, typeof(LaxScanCli).Assembly }
            .SelectMany(a => a.GetTypes())
            .Where(t => typeof(Exception).IsAssignableFrom(t) && t.Name != "UsageException")];
        Assert.NotEmpty(exceptions);
        Assert.All(exceptions, t => Assert.Contains($"`{t.Name}`", doc, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_npy_error_kind_has_a_row()
    {
        string doc = File.ReadAllText(ReadmeTests.FindRepoFile("docs/errors.md"));
        Assert.All(Enum.GetNames<LaxScan.Io.NpyErrorKind>(), kind => Assert.Contains($"| `{kind}` |", doc, StringComparison.Ordinal));
    }
}
