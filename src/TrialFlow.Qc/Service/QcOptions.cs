using Microsoft.Extensions.Configuration;

namespace TrialFlow.Qc.Service;

/// <summary>Where QC's seed files are and how often it looks for completed studies (section <c>TrialFlow:Qc</c>).</summary>
public sealed class QcOptions
{
    /// <summary>The ruleset loaded into the database on first start (default <c>rulesets/qc/trial-default.yaml</c>).</summary>
    public required string RulesetFile { get; init; }

    /// <summary>Folder of protocol requirement files (default <c>templates/protocols</c>).</summary>
    public required string ProtocolDirectory { get; init; }

    /// <summary>How often the intake QC worker looks for completed studies without a result.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether QC runs by itself when studies complete intake (tests and tools may turn it off).</summary>
    public bool RunOnIntake { get; init; } = true;

    public static QcOptions FromConfiguration(IConfiguration configuration, string baseDirectory)
    {
        var section = configuration.GetSection("TrialFlow:Qc");
        string Resolve(string? value, params string[] fallback)
        {
            var path = string.IsNullOrWhiteSpace(value) ? Path.Combine(fallback) : value;
            return Path.IsPathRooted(path) ? path : Path.Combine(baseDirectory, path);
        }

        return new QcOptions
        {
            RulesetFile = Resolve(section["Ruleset"], "rulesets", "qc", "trial-default.yaml"),
            ProtocolDirectory = Resolve(section["Protocols"], "templates", "protocols"),
            PollInterval = TimeSpan.FromSeconds(section.GetValue("PollSeconds", 5.0)),
            RunOnIntake = section.GetValue("RunOnIntake", true),
        };
    }
}
