internal static class Program
{
    // "exhaustive" is a hand-run correctness check, not a benchmark; everything else goes to BenchmarkDotNet.
    private static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "exhaustive")
        {
            return LaxScan.Bench.Exhaustive.ExhaustiveCheck.Run(args[1..]);
        }

        BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
