using System.Security.Cryptography;

namespace TrialFlow.Intake.Staging;

/// <summary>
/// The key that encrypts staging and quarantine. From configuration (<c>TrialFlow:Intake:StagingKey</c>, 32 bytes
/// base64) when an operator manages keys; otherwise generated once into <c>keys/staging.key</c> in the data folder,
/// readable only by the service account.
/// </summary>
public static class StagingKey
{
    public static byte[] Resolve(string? configured, string dataDirectory)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var key = Convert.FromBase64String(configured);
            return key.Length == 32 ? key : throw new InvalidOperationException("TrialFlow:Intake:StagingKey must be 32 bytes, base64-encoded.");
        }

        var path = Path.Combine(dataDirectory, "keys", "staging.key");
        if (File.Exists(path))
            return File.ReadAllBytes(path) is { Length: 32 } existing ? existing : throw new InvalidOperationException($"{path} is not a 32-byte key.");

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var fresh = RandomNumberGenerator.GetBytes(32);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var file = new FileStream(path, options))
        {
            file.Write(fresh);
            file.Flush(flushToDisk: true);
        }

        return fresh;
    }
}
