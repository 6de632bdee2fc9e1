namespace LaxScan.Cli.Io;

/// <summary>
/// The array files the CLI reads (<c>--x-file</c>) and writes (<c>--out</c>). An interface so the commands do not
/// depend on which .npy implementation is in the build, and tests can watch what is written.
/// </summary>
internal interface IArrayFiles
{
    /// <summary>Writes <paramref name="array"/> to <paramref name="path"/> completely or not at all.</summary>
    void Write<T>(string path, NDArray<T> array)
        where T : unmanaged;

    /// <summary>Reads a float32 array from <paramref name="path"/>.</summary>
    NDArray<float> ReadFloat32(string path);
}
