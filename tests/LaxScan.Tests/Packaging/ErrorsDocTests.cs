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

    // The base class is API: a caller's catch (ArgumentException) depends on it, so docs/errors.md must say it.
    [Fact]
    public void Every_flax_error_derives_from_the_dotnet_exception_its_row_names()
    {
        string doc = File.ReadAllText(ReadmeTests.FindRepoFile("docs/errors.md"));
        Type[] flaxErrors = [.. typeof(NDArray<>).Assembly.GetTypes().Where(t => typeof(LaxScan.Linen.IFlaxError).IsAssignableFrom(t) && !t.IsInterface)];
        Assert.Equal(8, flaxErrors.Length);
        Assert.All(flaxErrors, t =>
        {
            Assert.Contains(t.BaseType, new[] { typeof(ArgumentException), typeof(KeyNotFoundException), typeof(InvalidOperationException) });
            Assert.Contains($"| `{t.Name}` (`{t.BaseType!.Name}`) |", doc, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Every_npy_error_kind_has_a_row()
    {
        string doc = File.ReadAllText(ReadmeTests.FindRepoFile("docs/errors.md"));
        Assert.All(Enum.GetNames<LaxScan.Io.NpyErrorKind>(), kind => Assert.Contains($"| `{kind}` |", doc, StringComparison.Ordinal));
    }
}
