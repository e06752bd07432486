namespace TrialFlow.Activation.Domain;

/// <summary>
/// What a site must have done before it may send subject data, as a study manager wrote it in
/// <c>templates/activation/*.yaml</c>: one file per trial (named by protocol id, lower case) or <c>default.yaml</c>.
/// </summary>
public sealed record ChecklistTemplate(string Name, string Source, IReadOnlyList<ChecklistItemDefinition> Items)
{
    public ChecklistItemDefinition Item(string key) =>
        Items.SingleOrDefault(i => i.Key == key) ?? throw new ActivationException($"The activation checklist '{Name}' has no item '{key}' (it has: {string.Join(", ", Items.Select(i => i.Key))}).");
}

/// <param name="Key">Stable identifier, used in the API and the audit trail (e.g. <c>staff-trained</c>).</param>
/// <param name="PerUser">Done per person (training): each of the site's users needs their own entry.</param>
/// <param name="Automatic">Done by what TrialFlow sees rather than by a person ticking it.</param>
public sealed record ChecklistItemDefinition(string Key, string Title, bool Required, bool PerUser, AutomaticCheck? Automatic, string? Guidance);

/// <summary>Checklist items TrialFlow ticks itself from what it has seen.</summary>
public enum AutomaticCheck
{
    /// <summary>At least one object arrived from the site by DICOM push (its PACS or modality reached us; held objects count).</summary>
    TestTransfer,

    /// <summary>
    /// Every modality the protocol asks for at every visit has a scanner qualified at the site (a passing qualification
    /// scan); without protocol requirements, any qualified scanner.
    /// </summary>
    ScannerQualification,
}
