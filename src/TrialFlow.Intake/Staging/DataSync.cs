using System.ComponentModel;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace TrialFlow.Intake.Staging;

/// <summary>
/// Makes written data durable without the file's timestamps: <c>fdatasync(2)</c> on Linux, where an append into
/// preallocated space then needs no journal commit; a full flush elsewhere.
/// </summary>
internal static class DataSync
{
    public static void Flush(SafeFileHandle handle)
    {
        if (!OperatingSystem.IsLinux())
        {
            RandomAccess.FlushToDisk(handle);
            return;
        }

        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            if (FDataSync((int)handle.DangerousGetHandle()) != 0)
                throw new IOException($"flushing staged data failed: {new Win32Exception(Marshal.GetLastPInvokeError()).Message}");
        }
        finally
        {
            if (added)
                handle.DangerousRelease();
        }
    }

    [DllImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    private static extern int FDataSync(int fd);
}
