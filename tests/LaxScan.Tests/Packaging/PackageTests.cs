using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using LaxScan.Models;
using LaxScan.Tests.Cli;

namespace LaxScan.Tests.Packaging;

/// <summary>
/// <c>dotnet pack</c> makes the <c>LaxScan</c> library package and the <c>LaxScan.Tool</c> .NET tool, and the tool
/// installs from the packed folder and runs. One test, because packing builds both projects in Release (tens of
/// seconds). Everything it builds goes to a temporary folder through <c>--artifacts-path</c>, so the repository's
/// own bin/ and obj/ (which the running test build holds) are never touched, and the folder is deleted at the end.
/// </summary>
public class PackageTests
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(8);

    [Fact]
    public void Pack_then_tool_install_gives_a_laxscan_that_prints_the_librarys_bits()
    {
        string repository = Path.GetDirectoryName(ReadmeTests.FindRepoFile("LaxScan.slnx"))!;
        string version = PackageVersion();
        using var temp = new TempDirectory();
        string packages = temp["packages"];
        string artifacts = temp["artifacts"];
        string tools = temp["tools"];

        // Library first; the tool's pack then finds LaxScan already built in the same artifacts folder.
        foreach (string project in new[] { "src/LaxScan/LaxScan.csproj", "src/LaxScan.Cli/LaxScan.Cli.csproj" })
        {
            Dotnet(repository, "pack", Path.Combine(repository, project), "-c", "Release", "-o", packages, "--artifacts-path", artifacts, "--disable-build-servers", "-p:UseSharedCompilation=false");
        }

        string library = Path.Combine(packages, $"LaxScan.{version}.nupkg");
        using (ZipArchive zip = ZipFile.OpenRead(library))
        {
            string[] entries = [.. zip.Entries.Select(e => e.FullName)];
            Assert.Contains("lib/net10.0/LaxScan.dll", entries);
            Assert.Contains("lib/net10.0/LaxScan.xml", entries);
            Assert.Contains("README.md", entries);
            string nuspec = Read(zip, "LaxScan.nuspec");
            Assert.Contains("<readme>README.md</readme>", nuspec, StringComparison.Ordinal);
            Assert.Contains("<license type=\"expression\">Apache-2.0</license>", nuspec, StringComparison.Ordinal);
            Assert.Equal(File.ReadAllText(Path.Combine(repository, "README.md")), Read(zip, "README.md"));
        }

        // Only the packed folder as a source: the install needs nothing from a feed, and must not pick up an older copy.
        string config = temp["NuGet.Config"];
        File.WriteAllText(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="packed" value="{packages}" />
              </packageSources>
            </configuration>
            """);
        Dotnet(repository, "tool", "install", "--tool-path", tools, "--configfile", config, "--add-source", packages, "--version", version, "LaxScan.Tool");

        string laxscan = Path.Combine(tools, OperatingSystem.IsWindows() ? "laxscan.exe" : "laxscan");
        (int exitCode, string stdout, string stderr) = Start(laxscan, temp.Path, "run", "--seed", "0", "--hidden", "4", "--steps", "10", "--x", "0.5,-1,0.25,2");
        Assert.True(exitCode == 0, $"laxscan exited {exitCode}: {stderr}");
        Assert.Equal(string.Empty, stderr);
        CliHarness.AssertSameArray(LaxScanFunctions.LaxScanInModule(0, [0.5f, -1f, 0.25f, 2f], 4, 10), JsonDocument.Parse(stdout).RootElement);

        // The plot needs SkiaSharp's native library, which must travel inside the tool package.
        (exitCode, _, stderr) = Start(laxscan, temp.Path, "run", "--hidden", "3", "--steps", "4", "--x", "1,2,3", "--plot", temp["run.png"]);
        Assert.True(exitCode == 0, $"laxscan run --plot exited {exitCode}: {stderr}");
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(temp["run.png"])[..4]);
    }

    // The library's assembly version is the package version (Directory.Build.props), as major.minor.patch.
    private static string PackageVersion()
    {
        Version assembly = typeof(NDArray<>).Assembly.GetName().Version!;
        return $"{assembly.Major}.{assembly.Minor}.{assembly.Build}";
    }

    private static string Read(ZipArchive zip, string name)
    {
        using var reader = new StreamReader(zip.GetEntry(name)!.Open(), Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static void Dotnet(string workingDirectory, params string[] args)
    {
        (int exitCode, string stdout, string stderr) = Start(DotnetHost(), workingDirectory, args);
        Assert.True(exitCode == 0, $"dotnet {string.Join(' ', args)} exited {exitCode}:\n{stdout}\n{stderr}");
    }

    private static (int ExitCode, string Stdout, string Stderr) Start(string fileName, string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // dotnet test runs this inside an MSBuild-launched host; a nested build must not inherit that MSBuild's
        // paths, nor leave node or compiler servers behind that hold the output pipes open.
        foreach (string name in start.Environment.Keys.ToArray())
        {
            if (name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase))
            {
                start.Environment.Remove(name);
            }
        }

        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(CommandTimeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{fileName} {string.Join(' ', args)} did not finish in {CommandTimeout.TotalMinutes} minutes");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    // The SDK tells test runs which dotnet it is; outside it, the dotnet on PATH.
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
