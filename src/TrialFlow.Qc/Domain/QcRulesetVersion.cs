using System.Security.Cryptography;
using System.Text;

namespace TrialFlow.Qc.Domain;

/// <summary>
/// One published version of a QC ruleset: the YAML exactly as the QC lead wrote it, who published it, when and
/// why. Versions never change; the newest version of a ruleset is the active one.
/// </summary>
public sealed class QcRulesetVersion
{
    private QcRulesetVersion() { }

    public QcRulesetVersion(string rulesetName, int number, string content, string publishedBy, DateTime publishedAt, string reason)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(number, 1);
        Id = Guid.NewGuid();
        RulesetName = string.IsNullOrWhiteSpace(rulesetName) ? throw new ArgumentException("A ruleset needs a name.", nameof(rulesetName)) : rulesetName.Trim();
        Number = number;
        Content = content;
        ContentSha256 = HashOf(content);
        PublishedBy = publishedBy;
        PublishedAt = publishedAt;
        Reason = string.IsNullOrWhiteSpace(reason) ? throw new ArgumentException("Publishing a ruleset needs a reason.", nameof(reason)) : reason.Trim();
    }

    public Guid Id { get; private set; }

    /// <summary>The <c>ruleset:</c> name in the file, e.g. trial-default.</summary>
    public string RulesetName { get; private set; } = "";

    /// <summary>1, 2, 3… per ruleset name.</summary>
    public int Number { get; private set; }

    public string Content { get; private set; } = "";

    /// <summary>Lower-case hex SHA-256 of the UTF-8 content: what a QC result records it ran with.</summary>
    public string ContentSha256 { get; private set; } = "";

    public string PublishedBy { get; private set; } = "";

    public DateTime PublishedAt { get; private set; }

    public string Reason { get; private set; } = "";

    public static string HashOf(string content) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
}
