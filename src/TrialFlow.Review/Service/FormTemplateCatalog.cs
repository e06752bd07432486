using TrialFlow.Review.Forms;

namespace TrialFlow.Review.Service;

/// <summary>The form templates of <c>templates/forms/*.json</c>, loaded at start-up: a broken template stops the host with its file named.</summary>
public sealed class FormTemplateCatalog
{
    private readonly Dictionary<string, FormTemplate> _templates;

    public FormTemplateCatalog(IEnumerable<FormTemplate> templates) =>
        _templates = templates.ToDictionary(t => t.TemplateId, StringComparer.Ordinal);

    public static FormTemplateCatalog FromDirectory(string directory) =>
        new(Directory.Exists(directory) ? Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal).Select(FormTemplate.Load) : []);

    public IReadOnlyCollection<FormTemplate> All => _templates.Values;

    public FormTemplate Get(string templateId) =>
        _templates.TryGetValue(templateId, out var t) ? t : throw new FormTemplateException(templateId, $"no form template '{templateId}' in templates/forms (known: {string.Join(", ", _templates.Keys)}).");
}
