namespace TrialFlow.Review.Domain;

/// <summary>
/// A 21 CFR Part 11 electronic signature (§11.50, §11.70): who signed (name at the time), when, what it means, and the
/// SHA-256 of the record's canonical content, so the signature stays bound to exactly what was signed. Immutable.
/// </summary>
public sealed class ElectronicSignature
{
    public const string ReadMeaning = "I confirm this assessment";
    public const string AdjudicationMeaning = "I confirm this adjudication";

    private ElectronicSignature() { }

    public ElectronicSignature(string recordType, Guid recordId, string signerUserId, string signerName, string meaning, DateTime signedAt, string contentSha256)
    {
        Id = Guid.NewGuid();
        RecordType = recordType;
        RecordId = recordId;
        SignerUserId = signerUserId;
        SignerName = signerName;
        Meaning = meaning;
        SignedAt = signedAt;
        ContentSha256 = contentSha256.Length == 64 ? contentSha256 : throw new ArgumentException("A SHA-256 is 64 hex digits.", nameof(contentSha256));
    }

    public Guid Id { get; private set; }

    /// <summary>"Read" or "Adjudication".</summary>
    public string RecordType { get; private set; } = "";

    public Guid RecordId { get; private set; }

    public string SignerUserId { get; private set; } = "";

    public string SignerName { get; private set; } = "";

    public string Meaning { get; private set; } = "";

    public DateTime SignedAt { get; private set; }

    public string ContentSha256 { get; private set; } = "";
}
