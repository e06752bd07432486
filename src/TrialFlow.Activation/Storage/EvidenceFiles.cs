using System.Security.Cryptography;
using TrialFlow.Activation.Domain;

namespace TrialFlow.Activation.Storage;

/// <summary>
/// Files attached as checklist evidence (a signed acknowledgement, a training certificate, a data-sharing agreement),
/// kept content-addressed under the data folder's <c>evidence/</c>: the database records which entry refers to which
/// SHA-256, so a file is stored once however often it is cited and can be verified against its hash.
/// </summary>
public sealed class EvidenceFiles(string directory)
{
    /// <summary>The largest evidence file accepted (25 MiB): documents, not images.</summary>
    public const long MaxBytes = 25L << 20;

    /// <summary>Document and image types a core lab files as evidence; anything else is refused by name.</summary>
    public static readonly IReadOnlyDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".pdf"] = "application/pdf",
        [".png"] = "image/png",
        [".jpg"] = "image/jpeg",
        [".jpeg"] = "image/jpeg",
        [".txt"] = "text/plain",
        [".docx"] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        [".xlsx"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    };

    /// <summary>Stores <paramref name="content"/> as evidence called <paramref name="fileName"/>; refuses an empty, too large or unexpected file, naming it.</summary>
    public async Task<EvidenceFile> SaveAsync(string fileName, Stream content, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(fileName ?? "").Trim();
        if (name.Length is 0 or > 200)
            throw new ActivationException("An evidence file needs a name of 1 to 200 characters.");
        if (!ContentTypes.TryGetValue(Path.GetExtension(name), out var contentType))
            throw new ActivationException($"'{name}' is not a kind of evidence file TrialFlow keeps (it keeps {string.Join(", ", ContentTypes.Keys)}).");

        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".upload-{Guid.NewGuid():N}");
        try
        {
            long size;
            string sha256;
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                var buffer = new byte[81920];
                size = 0;
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    size += read;
                    if (size > MaxBytes)
                        throw TooLarge(name);
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
                if (size == 0)
                    throw new ActivationException($"'{name}' is empty.");
                await file.FlushAsync(cancellationToken);
                file.Flush(flushToDisk: true);
                sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
            }
            var target = PathOf(sha256);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (!File.Exists(target))
                File.Move(temporary, target);
            return new EvidenceFile(name, sha256, size, contentType);
        }
        finally
        {
            if (File.Exists(temporary))
                File.Delete(temporary);
        }
    }

    /// <summary>The refusal of a file over <see cref="MaxBytes"/>, for callers that know the size before reading.</summary>
    public static ActivationException TooLarge(string fileName) =>
        new($"'{Path.GetFileName(fileName)}' is larger than {MaxBytes >> 20} MiB, the most an evidence file may be.");

    public Stream OpenRead(string sha256) => File.OpenRead(PathOf(sha256));

    private string PathOf(string sha256) =>
        sha256.Length == 64 && sha256.All(char.IsAsciiHexDigitLower)
            ? Path.Combine(directory, sha256[..2], sha256)
            : throw new ArgumentException($"'{sha256}' is not a SHA-256 in lower-case hex.", nameof(sha256));
}
