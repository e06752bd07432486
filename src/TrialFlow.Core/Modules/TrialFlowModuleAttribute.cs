namespace TrialFlow.Core.Modules;

/// <summary>
/// Marks an assembly as a TrialFlow module that owns a slice of the one database: the kernel's
/// <see cref="Persistence.TrialFlowDbContext"/> applies every <c>IEntityTypeConfiguration</c> it holds.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class TrialFlowModuleAttribute(string name) : Attribute
{
    /// <summary>The capability the module owns ("Intake", "Qc", "Queries", "Review").</summary>
    public string Name { get; } = name;
}
