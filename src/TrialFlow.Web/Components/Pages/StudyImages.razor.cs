using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Persistence;
using TrialFlow.Web.Viewer;

namespace TrialFlow.Web.Components.Pages;

/// <summary>
/// A study's images for trial staff (QC leads, data managers, monitors), optionally beside another timepoint of the
/// same subject. Readers see images through their read tasks instead, blinded.
/// </summary>
public partial class StudyImages
{
    private IReadOnlyList<ViewerStudy>? _studies;
    private List<(Guid Id, string Label)> _others = [];
    private readonly List<ViewerMeasurement> _measurements = [];
    private Guid? _compare;
    private bool _notFound;

    [Parameter]
    public Guid StudyId { get; set; }

    [Inject]
    private IDbContextFactory<TrialFlowDbContext> Db { get; set; } = default!;

    [Inject]
    private ViewerManifestBuilder Builder { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        await using var db = await Db.CreateDbContextAsync();
        var subject = await db.Studies.AsNoTracking().Where(s => s.Id == StudyId).Select(s => (Guid?)s.SubjectId).SingleOrDefaultAsync();
        if (subject is null)
        {
            _notFound = true;
            return;
        }
        var others = await db.Studies.AsNoTracking().Where(s => s.SubjectId == subject && s.Id != StudyId).OrderBy(s => s.StudyDay).Select(s => s.Id).ToListAsync();
        _others = [];
        foreach (var id in others)
            _others.Add((id, await ViewerApi.LabelAsync(db, id, CancellationToken.None)));
        await LoadAsync(db);
    }

    private async Task CompareAsync(Guid? other)
    {
        _compare = other;
        await using var db = await Db.CreateDbContextAsync();
        await LoadAsync(db);
    }

    private async Task LoadAsync(TrialFlowDbContext db)
    {
        // The viewer only runs once the circuit is up: building the manifest for the prerendered page too would read
        // every slice's header twice before the first image.
        if (!RendererInfo.IsInteractive)
            return;
        var ids = _compare is { } other ? new[] { other, StudyId } : [StudyId];
        var studies = new List<ViewerStudy>();
        foreach (var id in ids)
            if (await Builder.BuildAsync(db, id, await ViewerApi.LabelAsync(db, id, CancellationToken.None), ViewerApi.WadoFrame, CancellationToken.None) is { } study)
                studies.Add(study);
        _studies = studies;
    }
}
