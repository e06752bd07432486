using TrialFlow.Qc.Domain;
using TrialFlow.Qc.Rules;

namespace TrialFlow.Benchmarks.Qc;

/// <summary>
/// The baseline: the same 50 rules as plain C# loops over the same facts, with the same semantics (absent values never
/// fire, case-insensitive text, the same shared regular expressions) and the same messages. What a developer would write
/// if QC leads could not edit rules.
/// </summary>
internal static class HandWrittenQc
{
    public static List<Finding> Evaluate(StudyFactSet facts)
    {
        var findings = new List<Finding>();
        for (var k = 0; k < QcWorkload.Variants; k++)
        {
            foreach (var p in facts.Protocol)
                foreach (var s in facts.Series)
                    if (Same(s.Modality, p.Modality) && !s.IsLocalizer && Outside(s.SliceThickness, 0.5, QcWorkload.ThicknessMax(k)))
                        findings.Add(new Finding($"THK-{k}", QcSeverity.Major, $"Series {s.Number}: {s.SliceThickness!.Value.ToString("0.##", CultureInfo.InvariantCulture)} mm ({p.Requirement})", s.Uid));

            foreach (var p in facts.Protocol)
                if (p.ContrastRequired)
                    foreach (var s in facts.Series)
                        if (Same(s.Modality, p.Modality) && s.Description is not null && Regexes.Get(p.ContrastSeries).IsMatch(s.Description)
                            && Outside(s.ContrastDelaySeconds, QcWorkload.DelayMin(k), QcWorkload.DelayMax(k)))
                            findings.Add(new Finding($"CON-{k}", QcSeverity.Major, $"Series {s.Number}: {s.ContrastDelaySeconds!.Value.ToString("0", CultureInfo.InvariantCulture)} s", s.Uid));

            foreach (var s in facts.Series)
                if (Outside(s.Kvp, QcWorkload.KvpMin(k), QcWorkload.KvpMax(k)))
                    findings.Add(new Finding($"KVP-{k}", QcSeverity.Minor, $"Series {s.Number}: {s.Kvp!.Value.ToString("0", CultureInfo.InvariantCulture)} kVp", s.Uid));

            foreach (var r in facts.RequiredSeries)
                if (Same(r.Name, $"req{k}") && !facts.Series.Any(s => Same(s.Modality, r.Modality) && s.Description is not null && Regexes.Get(r.Description).IsMatch(s.Description)))
                    findings.Add(new Finding($"REQ-{k}", QcSeverity.Critical, $"Required series {r.Name} is missing", null));

            if (facts.Visit is { } v && v.NominalDay >= k * 5 && Outside(facts.Study.StudyDay, v.WindowStartDay, v.WindowEndDay))
                findings.Add(new Finding($"WIN-{k}", QcSeverity.Major, $"Study day {facts.Study.StudyDay} outside {v.Key}", null));
        }
        return findings;
    }

    private static bool Same(string? a, string? b) => a is not null && b is not null && string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);

    private static bool Outside(double? v, double min, double max) => v.HasValue && (v.Value < min || v.Value > max);
}
