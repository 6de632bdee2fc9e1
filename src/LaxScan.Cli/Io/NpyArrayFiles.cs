using LaxScan.Io;

namespace LaxScan.Cli.Io;

/// <summary>The library's .npy and Flax checkpoint readers and writers: strict parsing, and writes by <see cref="OutputFile"/>'s rules.</summary>
internal sealed class NpyArrayFiles : IArrayFiles
{
    /// <inheritdoc />
    public OutputTarget ResolveOutput(string path) => OutputTarget.Resolve(path);

    /// <inheritdoc />
    public void Write<T>(string path, NDArray<T> array, CancellationToken cancellationToken)
        where T : unmanaged =>
        NpyWriter.Write(path, array, cancellationToken);

    /// <inheritdoc />
    public NDArray<float> ReadFloat32(string path) => NpyReader.ReadFloat32(path);

    /// <inheritdoc />
    public void WriteVariables(string path, Linen.Variables variables, CancellationToken cancellationToken) =>
        FlaxSerialization.WriteFile(path, variables, cancellationToken);

    /// <inheritdoc />
    public Linen.Variables ReadVariables(string path) => FlaxSerialization.ReadFile(path);
}
