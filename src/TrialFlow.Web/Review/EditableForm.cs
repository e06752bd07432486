using TrialFlow.Review.Forms;

namespace TrialFlow.Web.Review;

/// <summary>A form's values as the page edits them (mutable rows), converted to and from <see cref="FormData"/>.</summary>
public sealed class EditableForm
{
    public Dictionary<string, string?> Fields { get; } = [];

    public Dictionary<string, List<Dictionary<string, string?>>> Groups { get; } = [];

    public List<Dictionary<string, string?>> Rows(string group) =>
        Groups.TryGetValue(group, out var rows) ? rows : Groups[group] = [];

    public static EditableForm From(FormData data)
    {
        var form = new EditableForm();
        foreach (var (k, v) in data.Fields)
            form.Fields[k] = v;
        foreach (var (k, rows) in data.Groups)
            form.Groups[k] = rows.Select(r => r.ToDictionary(x => x.Key, x => x.Value)).ToList();
        return form;
    }

    /// <summary>A follow-up starts from the reader's previous timepoint: the same lesions (id, organ), to be assessed again.</summary>
    public static EditableForm FollowUpOf(FormData previous)
    {
        var form = new EditableForm();
        foreach (var group in new[] { "targetLesions", "nonTargetLesions" })
            form.Groups[group] = previous.Rows(group).Select(r => new Dictionary<string, string?>
            {
                ["lesionId"] = r.TryGetValue("lesionId", out var id) ? id : null,
                ["organ"] = r.TryGetValue("organ", out var organ) ? organ : null,
            }).ToList();
        return form;
    }

    public FormData ToFormData() => new(
        new Dictionary<string, string?>(Fields),
        Groups.ToDictionary(g => g.Key, g => (IReadOnlyList<IReadOnlyDictionary<string, string?>>)g.Value.Select(r => (IReadOnlyDictionary<string, string?>)new Dictionary<string, string?>(r)).ToList()));
}
