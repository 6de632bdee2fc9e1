using LaxScan.Io;

namespace LaxScan.Cli.Io;

/// <summary>
/// The array files the CLI reads (<c>--x-file</c>, <c>--params</c>) and writes (<c>--out</c>). An interface so the commands do not
/// depend on which .npy implementation is in the build, and tests can watch what is written.
/// </summary>
internal interface IArrayFiles
{
    /// <summary>What an output path names, for the checks every output gets before any work; null from a test double that writes nowhere, which skips them.</summary>
    OutputTarget? ResolveOutput(string path);

    /// <summary>Writes <paramref name="array"/> to <paramref name="path"/> completely or not at all (in place for a FIFO or device).</summary>
    void Write<T>(string path, NDArray<T> array, CancellationToken cancellationToken)
        where T : unmanaged;

    /// <summary>Reads a float32 array from <paramref name="path"/>.</summary>
    NDArray<float> ReadFloat32(string path);

    /// <summary>Writes variables as a Flax checkpoint (<c>flax.serialization.to_bytes</c>), completely or not at all.</summary>
    void WriteVariables(string path, Linen.Variables variables, CancellationToken cancellationToken);

    /// <summary>Reads variables from a Flax checkpoint (<c>flax.serialization.from_bytes</c>'s layout).</summary>
    Linen.Variables ReadVariables(string path);
}
