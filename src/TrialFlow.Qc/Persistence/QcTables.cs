using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Modules;
using TrialFlow.Core.Persistence;

[assembly: TrialFlowModule("Qc")]

namespace TrialFlow.Qc.Domain;

/// <summary>
/// The Qc module's tables in the one database, as properties of the kernel's context (<c>db.QcResults</c>…). They
/// live in the Domain namespace so that code using the entities finds its tables with the same <c>using</c>.
/// </summary>
public static class QcTables
{
    extension(TrialFlowDbContext db)
    {
        public DbSet<QcRulesetVersion> QcRulesetVersions => db.Set<QcRulesetVersion>();
        public DbSet<QcResult> QcResults => db.Set<QcResult>();
        public DbSet<QcFinding> QcFindings => db.Set<QcFinding>();
    }
}
