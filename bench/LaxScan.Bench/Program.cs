internal static class Program
{
    // "exhaustive" is a hand-run correctness check and "split" a quick per-step cost split; everything else goes to BenchmarkDotNet.
    private static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "exhaustive")
        {
            return LaxScan.Bench.Exhaustive.ExhaustiveCheck.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == "split")
        {
            return LaxScan.Bench.Split.StepSplit.Run(args[1..]);
        }

        BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
