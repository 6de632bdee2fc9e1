using System.CommandLine;

namespace LaxScan.Cli.Output;

/// <summary>
/// An option naming a file the command writes. Declaring an output with this type (through
/// <see cref="Parsing.CliOptions.OutputPath"/> or <see cref="Parsing.OutOptions"/>) is all a command does for the
/// checks every output gets before any work (<see cref="CliOutputs.Check"/>): two outputs on one file, a missing or
/// unwritable directory, a directory or socket as the target, and standard output as the target.
/// </summary>
internal sealed class OutputPathOption(string name) : Option<string?>(name);
