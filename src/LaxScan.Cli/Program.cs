using System.Text;
using LaxScan.Cli;
using LaxScan.Cli.Io;
using LaxScan.Cli.Output;

if (args is [BatchMode.Argument])
{
    // Tests only: many command lines in one process (see BatchMode).
    using Stream output = Console.OpenStandardOutput();
    return BatchMode.Run(Console.In, output, Console.Error);
}

// A large buffer: the JSON of a big array is many small writes. Run flushes it and reports a failed flush.
// StandardOutputStream, not the console's stream, which drops writes after a broken pipe without a word.
Stream rawStdout = StandardOutputStream.Open();
var stdout = new StreamWriter(rawStdout, new UTF8Encoding(false), 1 << 16);
var stderr = new StreamWriter(Console.OpenStandardError(), new UTF8Encoding(false)) { AutoFlush = true };
int exitCode = LaxScanCli.Run(args, stdout, stderr, ArrayFiles.Default, interrupt: null, rawStdout: rawStdout);
try
{
    stdout.Dispose();
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException)
{
    // Already reported by Run (or stdout is closed); what is left in the buffer cannot be written anywhere.
}

try
{
    stderr.Dispose();
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException)
{
    // Standard error is closed (2>&-): the exit code still tells.
}

return exitCode;
