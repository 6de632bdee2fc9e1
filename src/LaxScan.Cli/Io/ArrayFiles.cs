namespace LaxScan.Cli.Io;

/// <summary>The <see cref="IArrayFiles"/> the real command line uses.</summary>
internal static class ArrayFiles
{
    /// <summary>The library's .npy implementation.</summary>
    public static IArrayFiles Default { get; } = new NpyArrayFiles();
}
