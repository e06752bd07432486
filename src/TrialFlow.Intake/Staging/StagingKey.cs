using TrialFlow.Core.Security;

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
            var configuredKey = Convert.FromBase64String(configured);
            return configuredKey.Length == 32 ? configuredKey : throw new InvalidOperationException("TrialFlow:Intake:StagingKey must be 32 bytes, base64-encoded.");
        }

        var path = Path.Combine(dataDirectory, "keys", "staging.key");
        var key = KeyFile.LoadOrCreate(path);
        return key.Length == 32 ? key : throw new InvalidOperationException($"{path} is not a 32-byte key.");
    }
}
