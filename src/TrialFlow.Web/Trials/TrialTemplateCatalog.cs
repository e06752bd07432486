namespace TrialFlow.Web.Trials;

/// <summary>The trial templates of <c>templates/trials/</c>, read once at start: a broken file stops the host with its name.</summary>
public sealed class TrialTemplateCatalog(IReadOnlyList<TrialTemplate> templates)
{
    public static TrialTemplateCatalog FromDirectory(string directory) =>
        new(Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal).Select(TrialTemplate.Load).ToList()
            : []);

    public IReadOnlyList<TrialTemplate> All => templates;

    public TrialTemplate? Find(string id) => templates.FirstOrDefault(t => string.Equals(t.Id, id, StringComparison.Ordinal));
}
