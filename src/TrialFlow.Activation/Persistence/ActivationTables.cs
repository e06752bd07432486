using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Modules;
using TrialFlow.Core.Persistence;

[assembly: TrialFlowModule("Activation")]

namespace TrialFlow.Activation.Domain;

/// <summary>The Activation module's tables in the one database, as properties of the kernel's context.</summary>
public static class ActivationTables
{
    extension(TrialFlowDbContext db)
    {
        public DbSet<ChecklistEntry> ChecklistEntries => db.Set<ChecklistEntry>();
    }
}
