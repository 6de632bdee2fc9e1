using LaxScan.Io;

namespace LaxScan.Cli.Io;

/// <summary>The library's .npy and Flax checkpoint readers and writers: strict parsing, and atomic writes (temporary file, then rename).</summary>
internal sealed class NpyArrayFiles : IArrayFiles
{
    /// <inheritdoc />
    public void Write<T>(string path, NDArray<T> array)
        where T : unmanaged =>
        NpyWriter.Write(path, array);

    /// <inheritdoc />
    public NDArray<float> ReadFloat32(string path) => NpyReader.ReadFloat32(path);

    /// <inheritdoc />
    public void WriteVariables(string path, Linen.Variables variables) => FlaxSerialization.WriteFile(path, variables);

    /// <inheritdoc />
    public Linen.Variables ReadVariables(string path) => FlaxSerialization.ReadFile(path);
}
