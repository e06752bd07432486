using Microsoft.Extensions.Configuration;

namespace TrialFlow.Qc.Service;

/// <summary>Where QC's seed files are and whether it runs on completed studies (section <c>TrialFlow:Qc</c>).</summary>
public sealed class QcOptions
{
    /// <summary>The ruleset loaded into the database on first start (default <c>rulesets/qc/trial-default.yaml</c>).</summary>
    public required string RulesetFile { get; init; }

    /// <summary>Folder of protocol requirement files (default <c>templates/protocols</c>).</summary>
    public required string ProtocolDirectory { get; init; }

    /// <summary>Whether QC runs by itself when studies complete intake (tests and tools may turn it off).</summary>
    public bool RunOnIntake { get; init; } = true;

    /// <summary>
    /// How long QC of one study (a run or a dry run) may compute before it is refused (<c>EvaluationTimeLimit</c>,
    /// default 10 s, 1 s to 5 min accepted). Each JavaScript condition also stops after 50 ms on its own.
    /// </summary>
    public TimeSpan EvaluationTimeLimit { get; init; } = Evaluation.QcEvaluator.DefaultTimeLimit;

    public static QcOptions FromConfiguration(IConfiguration configuration, string baseDirectory)
    {
        var section = configuration.GetSection("TrialFlow:Qc");
        string Resolve(string? value, params string[] fallback)
        {
            var path = string.IsNullOrWhiteSpace(value) ? Path.Combine(fallback) : value;
            return Path.IsPathRooted(path) ? path : Path.Combine(baseDirectory, path);
        }

        var limit = section["EvaluationTimeLimit"] is { Length: > 0 } text
            ? TimeSpan.Parse(text, System.Globalization.CultureInfo.InvariantCulture)
            : Evaluation.QcEvaluator.DefaultTimeLimit;
        if (limit < TimeSpan.FromSeconds(1) || limit > TimeSpan.FromMinutes(5))
            throw new InvalidOperationException($"TrialFlow:Qc:EvaluationTimeLimit is {limit}; use 1 s to 5 min.");
        return new QcOptions
        {
            EvaluationTimeLimit = limit,
            RulesetFile = Resolve(section["Ruleset"], "rulesets", "qc", "trial-default.yaml"),
            ProtocolDirectory = Resolve(section["Protocols"], "templates", "protocols"),
            RunOnIntake = section.GetValue("RunOnIntake", true),
        };
    }
}
