using System.ComponentModel;
using System.Runtime.InteropServices;

namespace TrialFlow.Intake.Archive;

/// <summary>
/// Makes a set of freshly written files durable. On Linux one <c>syncfs(2)</c> flushes the whole file system at once:
/// measured here, 2–8 ms for 64 files of 40 KB against 14–170 ms for an fsync of each. Elsewhere, each file is
/// flushed on its own.
/// </summary>
internal static class FileSystemFlush
{
    public static void Flush(string directory, IReadOnlyCollection<string> files)
    {
        if (files.Count == 0)
            return;
        if (OperatingSystem.IsLinux())
        {
            SyncFileSystemOf(directory);
            return;
        }

        foreach (var path in files)
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            file.Flush(flushToDisk: true);
        }
    }

    private static void SyncFileSystemOf(string directory)
    {
        var fd = Open(directory, 0 /* O_RDONLY */);
        if (fd < 0)
            throw new IOException($"cannot open {directory} to flush it: {new Win32Exception(Marshal.GetLastPInvokeError()).Message}");
        try
        {
            if (SyncFs(fd) != 0)
                throw new IOException($"flushing the file system of {directory} failed: {new Win32Exception(Marshal.GetLastPInvokeError()).Message}");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    // DllImport rather than LibraryImport: the generated stubs need unsafe code for three plain int calls.
    [DllImport("libc", EntryPoint = "open", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    private static extern int SyncFs(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
