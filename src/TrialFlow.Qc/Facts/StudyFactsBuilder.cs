using TrialFlow.Core.Imaging;
using TrialFlow.Core.Trials;
using TrialFlow.Dicom;
using TrialFlow.Qc.Protocols;

namespace TrialFlow.Qc.Facts;

/// <summary>The records and archived headers of one study, as the QC service gathered them.</summary>
/// <param name="Headers">Series Instance UID → the headers of its archived images (pixel data not read).</param>
/// <param name="QualifiedScanners">"Manufacturer Model" of the scanners qualified at the site.</param>
public sealed record StudyRecords(ImagingStudy Study, Site Site, VisitDefinition? Visit, IReadOnlyDictionary<string, IReadOnlyList<DicomDataset>> Headers,
    IReadOnlyList<string>? QualifiedScanners = null);

/// <summary>
/// Builds a study's facts from its index rows and archived (de-identified) headers: pure, no I/O. The archived headers
/// keep what QC needs — acquisition parameters, Contrast/Bolus Start Time and Acquisition Time (times of day are kept
/// when dates are shifted) — and the study day was captured at intake before the shift.
/// </summary>
public static class StudyFactsBuilder
{
    public static StudyFactSet Build(StudyRecords records, ProtocolRequirements? protocol)
    {
        var requirements = protocol?.At(records.Visit?.VisitKey).ToList() ?? [];
        var series = new List<SeriesFact>();
        var instances = new List<InstanceFact>();
        var missing = new List<MissingAttributeFact>();
        foreach (var s in records.Study.Series.OrderBy(s => s.SeriesNumber ?? int.MaxValue).ThenBy(s => s.SeriesInstanceUid, StringComparer.Ordinal))
        {
            var headers = records.Headers.GetValueOrDefault(s.SeriesInstanceUid) ?? [];
            var fact = Series(s, headers);
            series.Add(fact);
            instances.AddRange(headers.Select(h => new InstanceFact
            {
                SeriesUid = s.SeriesInstanceUid,
                SeriesNumber = s.SeriesNumber,
                Number = h.TryGet<int>(DicomTags.InstanceNumber, out var n) ? n : null,
                SliceThickness = Number(h, DicomTags.SliceThickness),
                SliceLocation = Number(h, DicomTags.SliceLocation),
            }));
            if (!fact.IsLocalizer)
                missing.AddRange(Missing(fact, headers, requirements.Where(r => string.Equals(r.Modality, s.Modality, StringComparison.OrdinalIgnoreCase))));
        }

        var definition = records.Visit;
        return new StudyFactSet
        {
            Study = new StudyFact
            {
                Uid = records.Study.StudyInstanceUid,
                Description = records.Study.Description,
                Modalities = records.Study.Modalities,
                SeriesCount = records.Study.NumberOfSeries,
                Images = records.Study.NumberOfInstances,
                StudyDay = records.Study.StudyDay,
            },
            Series = series,
            Instances = instances,
            MissingAttributes = missing,
            Visit = definition is null ? null : new VisitFact
            {
                Key = definition.VisitKey,
                Name = definition.Name,
                NominalDay = definition.NominalDay,
                WindowStartDay = definition.NominalDay - definition.WindowBeforeDays,
                WindowEndDay = definition.NominalDay + definition.WindowAfterDays,
            },
            Site = new SiteFact
            {
                Number = records.Site.SiteNumber,
                Name = records.Site.Name,
                Country = records.Site.Country,
                QualifiedScanners = records.QualifiedScanners ?? [],
            },
            Protocol = requirements.Select(r => ProtocolFactOf(protocol!, r)).ToList(),
            RequiredSeries = requirements.SelectMany(r => r.RequiredSeries.Select(x => new RequiredSeriesFact
            {
                Requirement = r.Id,
                Name = x.Name,
                Modality = x.Modality,
                Description = x.Description,
                MinImages = x.MinImages,
            })).ToList(),
        };
    }

    public static ProtocolFact ProtocolFactOf(ProtocolRequirements protocol, AcquisitionRequirement r) => new()
    {
        Requirement = r.Id,
        Protocol = protocol.Name,
        Modality = r.Modality,
        SliceThicknessMin = r.SliceThickness.Min,
        SliceThicknessMax = r.SliceThickness.Max,
        KvpMin = r.Kvp.Min,
        KvpMax = r.Kvp.Max,
        PixelSpacingMin = r.PixelSpacing.Min,
        PixelSpacingMax = r.PixelSpacing.Max,
        MatrixMin = r.MatrixMin,
        BodyParts = r.BodyParts,
        CoverageMinMm = r.CoverageMinMm,
        ContrastRequired = r.ContrastRequired,
        ContrastDelayMin = r.ContrastDelaySeconds.Min,
        ContrastDelayMax = r.ContrastDelaySeconds.Max,
        ContrastSeries = r.ContrastSeries,
    };

    private static SeriesFact Series(ImagingSeries s, IReadOnlyList<DicomDataset> headers)
    {
        var first = headers.FirstOrDefault();
        var imageType = first?.GetStrings(DicomTags.ImageType) ?? [];
        var manufacturer = Text(headers, DicomTags.Manufacturer);
        var model = Text(headers, DicomTags.ManufacturerModelName);
        var z = headers.Select(h => h.GetValues<double>(DicomTags.ImagePositionPatient)).Where(p => p.Length == 3).Select(p => p[2]).ToList();
        return new SeriesFact
        {
            Uid = s.SeriesInstanceUid,
            Number = s.SeriesNumber,
            Description = s.Description,
            Modality = s.Modality,
            BodyPart = Text(headers, DicomTags.BodyPartExamined),
            ImageType = imageType.Length == 0 ? null : string.Join('\\', imageType),
            IsLocalizer = imageType.Contains("LOCALIZER", StringComparer.OrdinalIgnoreCase),
            Images = s.NumberOfInstances,
            SliceThickness = headers.Select(h => Number(h, DicomTags.SliceThickness)).Max(),
            PixelSpacing = first is null ? null : first.GetValues<double>(DicomTags.PixelSpacing) is { Length: > 0 } spacing ? spacing.Max() : null,
            Rows = first is not null && first.TryGet<int>(DicomTags.Rows, out var rows) ? rows : null,
            Columns = first is not null && first.TryGet<int>(DicomTags.Columns, out var columns) ? columns : null,
            Kvp = headers.Select(h => Number(h, DicomTags.KVP)).FirstOrDefault(v => v is not null),
            ContrastAgent = Text(headers, DicomTags.ContrastBolusAgent),
            ContrastDelaySeconds = ContrastDelay(headers),
            Manufacturer = manufacturer,
            Model = model,
            Scanner = manufacturer is null && model is null ? null : $"{manufacturer} {model}".Trim(),
            CoverageMm = z.Count > 1 ? z.Max() - z.Min() : null,
        };
    }

    /// <summary>
    /// Seconds from injection start to the series' first acquisition: negative for a series acquired before the injection,
    /// and a pair of times either side of midnight counts as the shorter way round (no study lasts twelve hours).
    /// </summary>
    private static double? ContrastDelay(IReadOnlyList<DicomDataset> headers)
    {
        var start = headers.Select(h => h.TryGet<TimeOnly>(DicomTags.ContrastBolusStartTime, out var t) ? t : (TimeOnly?)null).FirstOrDefault(t => t is not null);
        var acquired = headers.Select(h => h.TryGet<TimeOnly>(DicomTags.AcquisitionTime, out var t) ? t : (TimeOnly?)null).Where(t => t is not null).Min();
        if (start is null || acquired is null)
            return null;
        var seconds = (acquired.Value.Ticks - start.Value.Ticks) / (double)TimeSpan.TicksPerSecond;
        if (seconds > 43_200) seconds -= 86_400;
        if (seconds < -43_200) seconds += 86_400;
        return Math.Round(seconds, 3);
    }

    private static IEnumerable<MissingAttributeFact> Missing(SeriesFact series, IReadOnlyList<DicomDataset> headers, IEnumerable<AcquisitionRequirement> requirements)
    {
        foreach (var tag in requirements.SelectMany(r => r.MandatoryAttributes).Distinct())
        {
            var lacking = headers.Count(h => h[tag] is not { } item || item is DicomElement { IsEmpty: true });
            if (lacking > 0)
                yield return new MissingAttributeFact
                {
                    SeriesUid = series.Uid,
                    SeriesNumber = series.Number,
                    SeriesDescription = series.Description,
                    Keyword = DicomDictionary.KeywordOf(tag) ?? tag.ToString(),
                    Tag = tag.ToString(),
                    Images = lacking,
                };
        }
    }

    private static double? Number(DicomDataset h, DicomTag tag) => h.TryGet<double>(tag, out var v) ? v : null;

    private static string? Text(IReadOnlyList<DicomDataset> headers, DicomTag tag) =>
        headers.Select(h => h.GetString(tag)?.Trim()).FirstOrDefault(v => !string.IsNullOrEmpty(v));
}
