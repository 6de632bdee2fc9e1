using System.Text.RegularExpressions;
using LaxScan;
using LaxScan.Io;
using LaxScan.Linen;
using LaxScan.Linen.Recurrent;
using LaxScan.Models;
using LaxScan.Random;
using static LaxScan.Models.LaxScanFunctions;

namespace LaxScan.Tests;

/// <summary>
/// README.md's "API at a glance": each example is the code between a <c>// glance: NAME</c> line and
/// <c>// end glance</c> below, line for line (the test checks that, and the usings), so the README shows code that
/// compiles against the real API; running it here checks the output its last comment line shows.
/// </summary>
public partial class ReadmeGlanceTests
{
    [Fact]
    public void The_module_example_runs_as_the_README_shows()
    {
        List<string> printed = Console.Capture(() =>
        {
            // glance: module
            var module = new LaxScanModule(hidden: 4, steps: 10);                 // LaxScanModule(hidden=4, T=10)
            var x = new NDArray<float>(new Shape(4), [0.5f, -1f, 0.25f, 2f]);
            var run = new LaxScanRunOptions { Threads = 1 };                       // per call: threads, step observer
            Variables variables = module.Init(PrngKey.FromSeed(0), x, run);        // model.init(PRNGKey(0), x)
            NDArray<float> h = module.Apply(variables, x, run);                    // model.apply(variables, x)
            Console.WriteLine(string.Join(", ", h.Data));
            // end glance
        });
        Check("module", printed);
    }

    [Fact]
    public async Task The_checkpoint_example_runs_as_the_README_shows()
    {
        List<string> printed = await Console.CaptureAsync(async () =>
        {
            // glance: checkpoint
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1)); // or cancel from elsewhere
            string path = Path.Combine(Directory.CreateTempSubdirectory().FullName, "variables.msgpack");
            var rnn = new Rnn(new LstmCell(8));                                    // nn.RNN(nn.LSTMCell(8))
            var x = new NDArray<float>(new Shape(5, 3));                            // (T, F): 5 steps, 3 features
            await FlaxSerialization.WriteFileAsync(path, rnn.Init(PrngKey.FromSeed(0), x), cts.Token); // to_bytes
            Variables variables = await FlaxSerialization.ReadFileAsync(path, cts.Token); // msgpack_restore
            NDArray<float> y = rnn.Apply(variables, x, cancellationToken: cts.Token).Outputs;
            Console.WriteLine(y.Shape);
            // end glance
        });
        Check("checkpoint", printed);
    }

    [Fact]
    public async Task The_npy_example_runs_as_the_README_shows()
    {
        List<string> printed = await Console.CaptureAsync(async () =>
        {
            // glance: npy
            string path = Path.Combine(Directory.CreateTempSubdirectory().FullName, "h.npy");
            NDArray<float> h = LaxScanInModule(seed: 0, x: [0.5f, -1f, 0.25f, 2f], hidden: 4, steps: 10);
            NpyWriter.Write(path, h);                                              // np.save(path, h), same bytes
            NDArray<float> back = await NpyReader.ReadAsync<float>(path);          // np.load(path)
            await NpyWriter.WriteAsync(path, back);                                // atomic: old file or new, never half
            Console.WriteLine(back);
            // end glance
        });
        Check("npy", printed);
    }

    /// <summary>The README block named <paramref name="name"/> is this file's code for it, and prints what its last line says.</summary>
    private static void Check(string name, List<string> printed)
    {
        string readme = ReadmeTests.ReadmeText();
        int section = readme.IndexOf("\n## API at a glance\n", StringComparison.Ordinal);
        Assert.True(section >= 0, "README.md has no \"API at a glance\" section");
        Match block = Regex.Match(readme[section..], $@"<!-- glance: {name} -->\s*```csharp\n(?<code>.*?)```", RegexOptions.Singleline);
        Assert.True(block.Success, $"the README's glance example '{name}' was not found");
        string[] lines = [.. block.Groups["code"].Value.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0)];

        string source = File.ReadAllText(ReadmeTests.FindRepoFile(Path.Combine("tests", "LaxScan.Tests", "ReadmeGlanceTests.cs")));
        string[] usings = [.. lines.Where(IsUsingDirective)];
        Assert.All(usings, u => Assert.Contains("\n" + u + "\n", source, StringComparison.Ordinal));

        // The code: the README's lines are the test's lines between the markers, and its last line is the output.
        Match region = Regex.Match(source, $@"// glance: {name}\n(?<code>.*?)// end glance", RegexOptions.Singleline);
        string[] tested = [.. region.Groups["code"].Value.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0)];
        string[] code = [.. lines.Where(l => !IsUsingDirective(l))];
        Assert.Equal(tested, code[..^1]);
        Assert.Equal("// " + string.Join("\n// ", printed), code[^1]);
    }

    private static bool IsUsingDirective(string line) => UsingDirective().IsMatch(line);

    [GeneratedRegex(@"^using (static )?[A-Za-z.]+;$")]
    private static partial Regex UsingDirective();

    /// <summary>Takes the examples' <c>Console.WriteLine</c> (this class's scope hides System.Console), so tests running in parallel do not mix their output.</summary>
    private static class Console
    {
        private static readonly AsyncLocal<List<string>?> Lines = new();

        public static void WriteLine(object? value) =>
            (Lines.Value ?? throw new InvalidOperationException("not capturing")).Add(value?.ToString() ?? "");

        public static List<string> Capture(Action example)
        {
            Lines.Value = [];
            example();
            return Lines.Value;
        }

        public static async Task<List<string>> CaptureAsync(Func<Task> example)
        {
            List<string> lines = [];
            Lines.Value = lines;
            await example();
            return lines;
        }
    }
}
