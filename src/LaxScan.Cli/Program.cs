using System.Text;
using LaxScan.Cli;

// A large buffer: the JSON of a big array is many small writes. Run flushes it and reports a failed flush.
var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16);
var stderr = new StreamWriter(Console.OpenStandardError(), new UTF8Encoding(false)) { AutoFlush = true };
int exitCode = LaxScanCli.Run(args, stdout, stderr);
try
{
    stdout.Dispose();
}
catch (IOException)
{
    // Already reported by Run; what is left in the buffer cannot be written anywhere.
}

return exitCode;
