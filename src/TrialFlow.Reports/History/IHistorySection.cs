namespace TrialFlow.Reports.History;

/// <summary>
/// One section of a subject's imaging history (page and PDF dossier). Each area of TrialFlow that keeps records about a
/// subject's images contributes one implementation, registered in DI (<c>services.AddHistorySection&lt;T&gt;()</c>);
/// queries (issue 8) and reads, signatures and adjudications (issue 9) add theirs the same way.
/// </summary>
public interface IHistorySection
{
    /// <summary>Position on the page and in the dossier: lower first. Built-in: 100 subject, 200 imaging, 300 QC,
    /// 400 workflow, 900 audit trail (last, so it covers the records the others declared).</summary>
    int Order { get; }

    /// <summary>
    /// Builds the section from <paramref name="records"/> as of its cut-off. A section that shows records beyond the
    /// loaded ones calls <see cref="SubjectRecords.Cover"/> with their ids so the audit trail includes their events.
    /// </summary>
    Task<HistorySection> BuildAsync(SubjectRecords records, CancellationToken cancellationToken);
}
