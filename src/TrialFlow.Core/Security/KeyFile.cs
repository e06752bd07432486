using System.Security.Cryptography;

namespace TrialFlow.Core.Security;

/// <summary>
/// A secret kept in a file of the data folder (staging key, pseudonym key): read if it exists, otherwise created once
/// with random bytes, readable and writable only by the service account.
/// </summary>
public static class KeyFile
{
    public static byte[] LoadOrCreate(string path, int length = 32)
    {
        if (File.Exists(path))
            return File.ReadAllBytes(path);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var key = RandomNumberGenerator.GetBytes(length);
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using var file = new FileStream(path, options);
            file.Write(key);
            file.Flush(flushToDisk: true);
            return key;
        }
        catch (IOException) when (File.Exists(path))
        {
            return File.ReadAllBytes(path); // another process created it first
        }
    }
}
