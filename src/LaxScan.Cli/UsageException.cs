namespace LaxScan.Cli;

/// <summary>A usage error found after parsing (exit code 2), such as an option the chosen initializer does not take.</summary>
internal sealed class UsageException(string message) : Exception(message);
