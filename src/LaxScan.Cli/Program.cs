using System.Text;
using LaxScan.Cli;

// A large buffer, flushed once at the end: the JSON of a big array is many small writes.
using var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16) { AutoFlush = false };
using var stderr = new StreamWriter(Console.OpenStandardError(), new UTF8Encoding(false)) { AutoFlush = true };
return LaxScanCli.Run(args, stdout, stderr);
