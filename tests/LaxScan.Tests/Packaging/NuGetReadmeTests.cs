using System.Text.RegularExpressions;

namespace LaxScan.Tests.Packaging;

/// <summary>The README both packages carry (docs/nuget-readme.md), which nuget.org shows without the repository.</summary>
public class NuGetReadmeTests
{
    // nuget.org renders the package README without the repository around it: a relative link or image would be dead.
    [Fact]
    public void The_nuget_readme_has_only_absolute_links_and_no_images()
    {
        string readme = File.ReadAllText(ReadmeTests.FindRepoFile("docs/nuget-readme.md"));
        string[] targets = [.. Regex.Matches(readme, @"\]\(([^)\s]*)").Select(m => m.Groups[1].Value)];
        Assert.All(targets, target => Assert.Matches("^https://", target));
        Assert.DoesNotContain("![", readme, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", readme, StringComparison.OrdinalIgnoreCase);
    }
}
