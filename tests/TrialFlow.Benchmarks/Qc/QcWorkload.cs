namespace TrialFlow.Benchmarks.Qc;

/// <summary>
/// A 50-rule ruleset (five families of ten variants: slice thickness and contrast timing joined with the protocol,
/// kVp on the series alone, required series as an absent-fact join, visit window joined with the visit) and studies
/// of 20 series (one localizer) with seeded random acquisition values: about 3% of series are off-protocol on each
/// checked value and every study misses one required series, so a study typically has one to three findings.
/// </summary>
internal static class QcWorkload
{
    public const int Variants = 10;

    public static string Ruleset()
    {
        var yaml = new StringBuilder("ruleset: bench-50\nrules:\n");
        for (var k = 0; k < Variants; k++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $$"""
                  - id: THK-{{k}}
                    description: thickness
                    severity: major
                    match:
                      - { fact: Protocol, as: p }
                      - fact: Series
                        as: s
                        where:
                          - { field: s.Modality, op: eq, value: p.Modality }
                          - { field: s.IsLocalizer, op: eq, value: false }
                          - { field: s.SliceThickness, op: outside, min: 0.5, max: {{ThicknessMax(k).ToString(CultureInfo.InvariantCulture)}} }
                    message: "Series {s.Number}: {s.SliceThickness:0.##} mm ({p.Requirement})"
                  - id: CON-{{k}}
                    description: contrast timing
                    severity: major
                    match:
                      - fact: Protocol
                        as: p
                        where:
                          - { field: p.ContrastRequired, op: eq, value: true }
                      - fact: Series
                        as: s
                        where:
                          - { field: s.Modality, op: eq, value: p.Modality }
                          - { field: s.Description, op: matches, value: p.ContrastSeries }
                          - { field: s.ContrastDelaySeconds, op: outside, min: {{DelayMin(k)}}, max: {{DelayMax(k)}} }
                    message: "Series {s.Number}: {s.ContrastDelaySeconds:0} s"
                  - id: KVP-{{k}}
                    description: kvp
                    severity: minor
                    match:
                      - fact: Series
                        as: s
                        where:
                          - { field: s.Kvp, op: outside, min: {{KvpMin(k)}}, max: {{KvpMax(k)}} }
                    message: "Series {s.Number}: {s.Kvp:0} kVp"
                  - id: REQ-{{k}}
                    description: required series
                    severity: critical
                    match:
                      - fact: RequiredSeries
                        as: r
                        where:
                          - { field: r.Name, op: eq, value: req{{k}} }
                      - fact: Series
                        as: s
                        absent: true
                        where:
                          - { field: s.Modality, op: eq, value: r.Modality }
                          - { field: s.Description, op: matches, value: r.Description }
                    message: "Required series {r.Name} is missing"
                  - id: WIN-{{k}}
                    description: visit window
                    severity: major
                    match:
                      - fact: Visit
                        as: v
                        where:
                          - { field: v.NominalDay, op: ge, value: {{k * 5}} }
                      - fact: Study
                        as: st
                        where:
                          - { field: st.StudyDay, op: outside, min: v.WindowStartDay, max: v.WindowEndDay }
                    message: "Study day {st.StudyDay} outside {v.Key}"

                """);
        }
        return yaml.ToString();
    }

    public static double ThicknessMax(int k) => 3 + k * 0.25;

    public static int DelayMin(int k) => 55 + k;

    public static int DelayMax(int k) => 85 - k;

    public static int KvpMin(int k) => 80 + k;

    public static int KvpMax(int k) => 140 - k;

    private static readonly string[] Descriptions = ["PORTAL VENOUS", "ARTERIAL", "AXIAL", "DELAYED"];

    public static List<StudyFactSet> Studies(int count, int seriesPerStudy)
    {
        var random = new Random(20261128);
        var studies = new List<StudyFactSet>(count);
        for (var i = 0; i < count; i++)
        {
            var series = new List<SeriesFact>(seriesPerStudy);
            for (var s = 0; s < seriesPerStudy; s++)
                series.Add(new SeriesFact
                {
                    Uid = $"2.25.{i}.{s}",
                    Number = s + 1,
                    Modality = "CT",
                    Description = s == 0 ? "TOPOGRAM" : Descriptions[random.Next(Descriptions.Length)],
                    IsLocalizer = s == 0,
                    Images = 100,
                    SliceThickness = random.NextDouble() < 0.03 ? 6 : Math.Round(1 + random.NextDouble() * 1.5, 2),
                    ContrastDelaySeconds = random.NextDouble() < 0.03 ? 45 : Math.Round(66 + random.NextDouble() * 8),
                    Kvp = random.NextDouble() < 0.03 ? 150 : 100 + random.Next(0, 3) * 10,
                });
            studies.Add(new StudyFactSet
            {
                Study = new StudyFact { Uid = $"2.25.{i}", StudyDay = random.NextDouble() < 0.05 ? 60 : random.Next(36, 49), SeriesCount = seriesPerStudy },
                Series = series,
                Visit = new VisitFact { Key = "WK06", NominalDay = 42, WindowStartDay = 35, WindowEndDay = 49 },
                Site = new SiteFact { Number = "101" },
                Protocol = [new ProtocolFact { Requirement = "ct", Modality = "CT", ContrastRequired = true, ContrastSeries = "(?i)portal|venous" }],
                RequiredSeries = Enumerable.Range(0, Variants).Select(k => new RequiredSeriesFact
                {
                    Name = $"req{k}",
                    Modality = "CT",
                    Description = k == Variants - 1 ? "(?i)never-acquired" : "(?i)venous|arterial|axial|delayed",
                }).ToList(),
            });
        }
        return studies;
    }
}
