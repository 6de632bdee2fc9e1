using System.Runtime.InteropServices;

namespace LaxScan.Io;

/// <summary>
/// <c>stat(2)</c>: the kind of a file and its identity (device and inode), which .NET does not expose (its
/// <see cref="FileAttributes"/> cannot tell a FIFO or a device from a regular file).
/// </summary>
/// <remarks>
/// Asked of the runtime's own native shim (<c>libSystem.Native</c>, <c>SystemNative_Stat</c>, <c>SystemNative_LStat</c>,
/// <c>SystemNative_FStat</c>), which .NET's file APIs call on every Unix: its <c>FileStatus</c> starts with
/// <c>Flags</c>, <c>Mode</c>, and holds <c>Dev</c> and <c>Ino</c> at fixed offsets, and its <c>S_IF*</c> values are
/// declared "fixed and correct for managed callers to use forever" (dotnet/runtime,
/// src/native/libs/System.Native/pal_io.h). That keeps one code path for every Unix and architecture, where libc's
/// <c>struct stat</c> differs by each. On Windows, or if the shim were missing, the kind comes from .NET's own
/// <see cref="File.Exists(string)"/> and <see cref="Directory.Exists(string)"/> and the identity from the full path.
/// </remarks>
internal readonly partial record struct FileStatus(FileKind Kind, long Device, long Inode)
{
    private const int TypeMask = 0xF000;

    /// <summary>The status of <paramref name="path"/>, following symbolic links (<c>stat</c>) or not (<c>lstat</c>); <see cref="FileKind.Missing"/> when nothing is there.</summary>
    public static FileStatus Of(string path, bool followLinks)
    {
        if (!OperatingSystem.IsWindows() && TryNative(path, followLinks, out FileStatus status))
        {
            return status;
        }

        return Directory.Exists(path) ? new FileStatus(FileKind.Directory, 0, 0)
            : File.Exists(path) ? new FileStatus(FileKind.Regular, 0, 0)
            : new FileStatus(FileKind.Missing, 0, 0);
    }

    /// <summary>The status of an open file descriptor (1 is standard output), or null when it is closed or cannot be asked.</summary>
    public static FileStatus? OfDescriptor(int descriptor)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        try
        {
            var native = default(NativeFileStatus);
            return NativeMethods.FStat(descriptor, ref native) == 0 ? From(native) : null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Whether this is the same file as <paramref name="other"/>: the same device and inode (both must exist and be known).</summary>
    public bool IsSameFileAs(FileStatus other) =>
        Kind != FileKind.Missing && other.Kind != FileKind.Missing && (Device, Inode) != (0, 0) && (Device, Inode) == (other.Device, other.Inode);

    private static bool TryNative(string path, bool followLinks, out FileStatus status)
    {
        var native = default(NativeFileStatus);
        try
        {
            int result = followLinks ? NativeMethods.Stat(path, ref native) : NativeMethods.LStat(path, ref native);
            status = result == 0 ? From(native) : new FileStatus(FileKind.Missing, 0, 0);
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            status = default;
            return false;
        }
    }

    private static FileStatus From(NativeFileStatus native)
    {
        FileKind kind = (native.Mode & TypeMask) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0x1000 => FileKind.Fifo,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            0xC000 => FileKind.Socket,
            _ => FileKind.Other,
        };
        return new FileStatus(kind, native.Dev, native.Ino);
    }

    /// <summary>The prefix of System.Native's <c>FileStatus</c> up to <c>Ino</c>, padded: the shim writes 120 bytes today.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct NativeFileStatus
    {
        [FieldOffset(4)]
        public int Mode;

        [FieldOffset(88)]
        public long Dev;

        [FieldOffset(104)]
        public long Ino;
    }

    private static partial class NativeMethods
    {
        private const string SystemNative = "libSystem.Native";

        [LibraryImport(SystemNative, EntryPoint = "SystemNative_Stat", StringMarshalling = StringMarshalling.Utf8)]
        public static partial int Stat(string path, ref NativeFileStatus output);

        [LibraryImport(SystemNative, EntryPoint = "SystemNative_LStat", StringMarshalling = StringMarshalling.Utf8)]
        public static partial int LStat(string path, ref NativeFileStatus output);

        [LibraryImport(SystemNative, EntryPoint = "SystemNative_FStat")]
        public static partial int FStat(nint descriptor, ref NativeFileStatus output);
    }
}
