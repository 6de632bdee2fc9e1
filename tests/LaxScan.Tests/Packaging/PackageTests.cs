using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using LaxScan.Models;
using LaxScan.Random;
using LaxScan.Tests.Cli;

namespace LaxScan.Tests.Packaging;

/// <summary>
/// The packages as a user gets them: <c>dotnet pack</c> makes the <c>LaxScan</c> library package and the
/// <c>LaxScan.Tool</c> pointer package, <c>dotnet pack -r RID</c> the tool package of this machine's platform (Native
/// AOT), and the tool installs from that folder, runs, plots, and runs once through <c>dotnet tool exec</c> (what
/// <c>dnx</c> calls); a small program published with Native AOT against the packed library keeps LaxScan's bits.
/// </summary>
/// <remarks>
/// The packing runs once for the class (<see cref="PackedPackages"/>): three packs and two Native AOT compiles are the
/// slow part (about two minutes on two cores). Each run packs a version of its own (<c>0.1.0-test.GUID</c>), so
/// nothing a NuGet cache holds from an earlier run can stand in for what this run packed.
/// </remarks>
public class PackageTests(PackedPackages packed) : IClassFixture<PackedPackages>
{
    private static readonly float[] X = [0.5f, -1f, 0.25f, 2f];

    [Fact]
    public void The_library_package_has_the_dll_docs_symbols_readme_release_notes_and_trimming_targets()
    {
        packed.SkipUnlessPacked();
        string[] entries = Entries(packed.Library);
        Assert.Contains("lib/net10.0/LaxScan.dll", entries);
        Assert.Contains("lib/net10.0/LaxScan.xml", entries);
        Assert.Contains("buildTransitive/LaxScan.targets", entries);
        Assert.Contains("README.md", entries);
        Assert.DoesNotContain("lib/net10.0/LaxScan.pdb", entries);
        Assert.Contains("lib/net10.0/LaxScan.pdb", Entries(Path.ChangeExtension(packed.Library, ".snupkg")));

        XElement metadata = Nuspec(packed.Library);
        Assert.Equal("README.md", Value(metadata, "readme"));
        Assert.Equal("Apache-2.0", Value(metadata, "license"));
        Assert.Equal(File.ReadAllText(packed.Repository("docs/release-notes.md")).Trim(), Value(metadata, "releaseNotes").Trim());
        Assert.Equal(File.ReadAllText(packed.Repository("docs/nuget-readme.md")), Read(packed.Library, "README.md"));
    }

    [Fact]
    public void The_tool_is_a_pointer_package_and_one_small_package_per_x64_platform()
    {
        packed.SkipUnlessPacked();
        XElement settings = XElement.Parse(Read(packed.ToolPointer, "tools/any/any/DotnetToolSettings.xml"));
        string[] rids = [.. settings.Descendants("RuntimeIdentifierPackage").Select(p => (string)p.Attribute("RuntimeIdentifier")!)];
        Assert.Equal(["linux-x64", "win-x64", "osx-x64"], rids);
        Assert.All(Entries(packed.ToolPointer), e => Assert.DoesNotContain(".dll", e, StringComparison.Ordinal));

        // This platform's package: the Native AOT executable and this platform's native libraries, nothing else.
        string[] files = [.. Entries(packed.ToolForThisPlatform).Where(e => e.StartsWith("tools/", StringComparison.Ordinal)).Select(Path.GetFileName)!];
        files = [.. files.Order(StringComparer.Ordinal)];
        string executable = OperatingSystem.IsWindows() ? "LaxScan.Cli.exe" : "LaxScan.Cli";
        Assert.Equal([.. new[] { "DotnetToolSettings.xml", executable }.Concat(NativeLibraries()).Order(StringComparer.Ordinal)], files);
        XElement rid = XElement.Parse(Read(packed.ToolForThisPlatform, $"tools/any/{packed.Rid}/DotnetToolSettings.xml"));
        Assert.Equal("executable", (string?)rid.Descendants("Command").Single().Attribute("Runner"));

        // The package the issue measured at 77 MB (every platform's SkiaSharp) is now under 10 MB.
        Assert.InRange(new FileInfo(packed.ToolForThisPlatform).Length, 1, 10 << 20);
    }

    [Fact]
    public void The_installed_tool_prints_the_librarys_bits_and_plots()
    {
        packed.SkipUnlessPacked();
        string tools = packed.Temp["tools"];
        packed.Dotnet("tool", "install", "--tool-path", tools, "--configfile", packed.NuGetConfig, "--version", packed.Version, "LaxScan.Tool");

        string laxscan = Path.Combine(tools, OperatingSystem.IsWindows() ? "laxscan.exe" : "laxscan");
        (int exitCode, string stdout, string stderr) = PackedPackages.Start(laxscan, packed.Temp.Path, null, "run", "--seed", "0", "--hidden", "4", "--steps", "10", "--x", "0.5,-1,0.25,2");
        Assert.True(exitCode == 0, $"laxscan exited {exitCode}: {stderr}");
        Assert.Equal(string.Empty, stderr);
        CliHarness.AssertSameArray(LaxScanFunctions.LaxScanInModule(0, X, 4, 10), JsonDocument.Parse(stdout).RootElement);

        // The plot needs SkiaSharp's native library, which must travel inside the platform's package.
        string png = packed.Temp["run.png"];
        (exitCode, _, stderr) = PackedPackages.Start(laxscan, packed.Temp.Path, null, "run", "--hidden", "3", "--steps", "4", "--x", "1,2,3", "--plot", png);
        Assert.True(exitCode == 0, $"laxscan run --plot exited {exitCode}: {stderr}");
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(png)[..4]);
    }

    // The README's one-shot form: `dnx LaxScan.Tool -- run ...` is `dotnet tool exec`, which runs without installing.
    [Fact]
    public void Dotnet_tool_exec_runs_the_tool_once_without_installing_it()
    {
        packed.SkipUnlessPacked();
        (int exitCode, string stdout, string stderr) = packed.DotnetResult(
            "tool", "exec", "LaxScan.Tool", "--version", packed.Version, "--configfile", packed.NuGetConfig, "--yes", "--", "run", "--seed", "0", "--hidden", "4", "--steps", "10", "--x", "0.5,-1,0.25,2");
        Assert.True(exitCode == 0, $"dotnet tool exec exited {exitCode}:\n{stdout}\n{stderr}");
        string json = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        CliHarness.AssertSameArray(LaxScanFunctions.LaxScanInModule(0, X, 4, 10), JsonDocument.Parse(json).RootElement);
    }

    // IsAotCompatible, proven: an app using the packed library publishes with Native AOT with warnings as errors (no
    // trim or AOT warning from LaxScan or from the MessagePack it uses), and its native code returns LaxScan's bits.
    [Fact]
    public void A_native_aot_consumer_of_the_packed_library_publishes_without_warnings_and_keeps_the_bits()
    {
        packed.SkipUnlessPacked();
        string project = packed.Temp["consumer"];
        Directory.CreateDirectory(project);
        foreach (string file in new[] { "AotConsumer.csproj", "Program.cs" })
        {
            File.Copy(packed.Repository(Path.Combine("tests", "AotConsumer", file)), Path.Combine(project, file));
        }

        string output = Path.Combine(project, "out");
        packed.Dotnet("publish", Path.Combine(project, "AotConsumer.csproj"), "-c", "Release", "-r", packed.Rid, "-o", output, $"-p:LaxScanVersion={packed.Version}",
            $"-p:RestoreConfigFile={packed.NuGetConfigWithNuGetOrg}", "--disable-build-servers", "-p:UseSharedCompilation=false");
        string[] published = [.. Directory.EnumerateFiles(output).Select(Path.GetFileName)!];
        Assert.DoesNotContain("LaxScan.dll", published); // compiled into the executable, not a JIT-ed assembly beside it

        (int exitCode, string stdout, string stderr) = PackedPackages.Start(Path.Combine(output, OperatingSystem.IsWindows() ? "AotConsumer.exe" : "AotConsumer"), project, null);
        Assert.True(exitCode == 0, $"the Native AOT consumer exited {exitCode}: {stderr}");
        Dictionary<string, string> lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToDictionary(l => l[..l.IndexOf(' ')], l => l[(l.IndexOf(' ') + 1)..]);
        NDArray<float> run = LaxScanFunctions.LaxScanInModule(0, X, 4, 10);
        Assert.Equal(Hex(run), lines["run"]);
        Assert.Equal(Hex(run), lines["apply"]);
        Assert.Equal(Hex(run), lines["npy"]);
        Assert.Equal(Hex(run), lines["tensor"]);
        Assert.Equal(Hex(JaxRandom.Normal(PrngKey.FromSeed(42), new Shape(3))), lines["normal"]);
        Assert.Equal("ScopeParamShapeError", lines["error"]);
    }

    // SkiaSharp's and HarfBuzzSharp's libraries, which ScottPlot draws with, for this platform only.
    private static string[] NativeLibraries() =>
        OperatingSystem.IsWindows() ? ["libHarfBuzzSharp.dll", "libSkiaSharp.dll"]
        : OperatingSystem.IsMacOS() ? ["libHarfBuzzSharp.dylib", "libSkiaSharp.dylib"]
        : ["libHarfBuzzSharp.so", "libSkiaSharp.so"];

    private static string Hex(NDArray<float> array) =>
        string.Join(',', array.Data.Select(v => BitConverter.SingleToUInt32Bits(v).ToString("x8", CultureInfo.InvariantCulture)));

    private static string[] Entries(string package)
    {
        using ZipArchive zip = ZipFile.OpenRead(package);
        return [.. zip.Entries.Select(e => e.FullName)];
    }

    private static XElement Nuspec(string package)
    {
        using ZipArchive zip = ZipFile.OpenRead(package);
        ZipArchiveEntry entry = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using Stream stream = entry.Open();
        return XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }

    private static string Value(XElement metadata, string name) => metadata.Elements().Single(e => e.Name.LocalName == name).Value;

    private static string Read(string package, string name)
    {
        using ZipArchive zip = ZipFile.OpenRead(package);
        using var reader = new StreamReader(zip.GetEntry(name)!.Open(), Encoding.UTF8);
        return reader.ReadToEnd();
    }
}

/// <summary>
/// Packs the library, the tool's pointer package and this platform's tool package once, into a temporary folder,
/// with a version of this run's own. Everything is built through <c>--artifacts-path</c> in that folder, so the
/// repository's bin/ and obj/ (which the running test build holds) are never touched; the folder, and the copy of
/// this run's library package that the consumer's restore put in the NuGet cache, are deleted at the end.
/// </summary>
public sealed class PackedPackages : IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(8);
    private readonly string _repository;
    private readonly Dictionary<string, string?> _isolatedNuGet;

    public PackedPackages()
    {
        _repository = Path.GetDirectoryName(ReadmeTests.FindRepoFile("LaxScan.slnx"))!;
        Temp = new TempDirectory();
        if (RuntimeInformation.OSArchitecture != Architecture.X64)
        {
            // Nothing is packed: each test skips (below), LaxScan's tool ships for x64 platforms only.
            Rid = string.Empty;
            Version = string.Empty;
            _isolatedNuGet = [];
            return;
        }

        Rid = OperatingSystem.IsWindows() ? "win-x64" : OperatingSystem.IsMacOS() ? "osx-x64" : "linux-x64";
        Version typed = typeof(NDArray<>).Assembly.GetName().Version!;
        Version = $"{typed.Major}.{typed.Minor}.{typed.Build}-test.{Guid.NewGuid():N}";
        string packages = Temp["packages"];
        string artifacts = Temp["artifacts"];

        // Library first; the tool's packs then find LaxScan already built in the same artifacts folder.
        string[] common = ["-c", "Release", "-o", packages, "--artifacts-path", artifacts, $"-p:Version={Version}", "--disable-build-servers", "-p:UseSharedCompilation=false"];
        Dotnet(["pack", Repository("src/LaxScan/LaxScan.csproj"), .. common]);
        Dotnet(["pack", Repository("src/LaxScan.Cli/LaxScan.Cli.csproj"), .. common]);
        Dotnet(["pack", Repository("src/LaxScan.Cli/LaxScan.Cli.csproj"), "-r", Rid, .. common]);
        Library = Path.Combine(packages, $"LaxScan.{Version}.nupkg");
        ToolPointer = Path.Combine(packages, $"LaxScan.Tool.{Version}.nupkg");
        ToolForThisPlatform = Path.Combine(packages, $"LaxScan.Tool.{Rid}.{Version}.nupkg");

        // The tool needs nothing but the packed folder; the consumer also needs MessagePack from nuget.org.
        NuGetConfig = WriteConfig("NuGet.Config", packages, withNuGetOrg: false);
        NuGetConfigWithNuGetOrg = WriteConfig("NuGet.WithNuGetOrg.Config", packages, withNuGetOrg: true);

        // Installing and `tool exec` use a NuGet cache of their own, so they leave nothing in the user's.
        _isolatedNuGet = new() { ["NUGET_PACKAGES"] = Temp["nuget-cache"] };
    }

    internal TempDirectory Temp { get; }

    /// <summary>This platform's runtime identifier, the one tool package packed here.</summary>
    public string Rid { get; }

    /// <summary>This run's own package version.</summary>
    public string Version { get; }

    public string Library { get; } = string.Empty;

    public string ToolPointer { get; } = string.Empty;

    public string ToolForThisPlatform { get; } = string.Empty;

    public string NuGetConfig { get; } = string.Empty;

    public string NuGetConfigWithNuGetOrg { get; } = string.Empty;

    public string Repository(string relative) => Path.Combine(_repository, relative);

    /// <summary>Skips the calling test where nothing was packed (not an x64 machine).</summary>
    public void SkipUnlessPacked() =>
        Assert.SkipWhen(Rid.Length == 0, $"LaxScan's tool packages are for x64 platforms; this machine is {RuntimeInformation.OSArchitecture}");

    public void Dotnet(params string[] args)
    {
        (int exitCode, string stdout, string stderr) = DotnetResult(args);
        Assert.True(exitCode == 0, $"dotnet {string.Join(' ', args)} exited {exitCode}:\n{stdout}\n{stderr}");
    }

    public (int ExitCode, string Stdout, string Stderr) DotnetResult(params string[] args)
    {
        SkipUnlessPacked();
        bool usesOwnCache = args[0] == "tool";
        return Start(Reliability.LaxscanProcess.DotnetHost(), Temp.Path, usesOwnCache ? _isolatedNuGet : null, args);
    }

    public static (int ExitCode, string Stdout, string Stderr) Start(string fileName, string workingDirectory, IReadOnlyDictionary<string, string?>? environment, params string[] args)
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
        foreach ((string name, string? value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

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

    public void Dispose()
    {
        Temp.Dispose();
        if (Version.Length > 0)
        {
            // The consumer's restore extracted this run's LaxScan package into the user's NuGet cache; no later restore
            // can ask for this version again.
            string cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } custom
                ? custom
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            string extracted = Path.Combine(cache, "laxscan", Version.ToLowerInvariant());
            if (Directory.Exists(extracted))
            {
                Directory.Delete(extracted, recursive: true);
            }
        }
    }

    private string WriteConfig(string name, string packages, bool withNuGetOrg)
    {
        string path = Temp[name];
        string nugetOrg = withNuGetOrg ? "\n    <add key=\"nuget.org\" value=\"https://api.nuget.org/v3/index.json\" />" : string.Empty;
        File.WriteAllText(path, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="packed" value="{packages}" />{nugetOrg}
              </packageSources>
            </configuration>
            """);
        return path;
    }
}
