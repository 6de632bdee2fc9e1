namespace LaxScan.Cli.Io;

/// <summary>
/// Stands in while the library has no .npy reader/writer: <c>--out</c> and <c>--x-file</c> fail with a clear
/// message before anything is written.
/// </summary>
internal sealed class UnavailableArrayFiles : IArrayFiles
{
    /// <inheritdoc />
    public void Write<T>(string path, NDArray<T> array)
        where T : unmanaged =>
        throw new NotSupportedException($"cannot write '{path}': this build of laxscan has no .npy writer yet (LaxScan.Io)");

    /// <inheritdoc />
    public NDArray<float> ReadFloat32(string path) =>
        throw new NotSupportedException($"cannot read '{path}': this build of laxscan has no .npy reader yet (LaxScan.Io)");
}
