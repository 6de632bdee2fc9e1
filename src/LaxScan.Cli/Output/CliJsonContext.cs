using System.Text.Json.Serialization;

namespace LaxScan.Cli.Output;

/// <summary>
/// The one type the tool hands to System.Text.Json (a variables-tree key as a JSON string), with its serializer
/// generated at compile time: the reflection-based serializer is unavailable under Native AOT and trimming.
/// </summary>
[JsonSerializable(typeof(string))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
