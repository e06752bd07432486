using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Modules;
using TrialFlow.Core.Persistence;

[assembly: TrialFlowModule("Intake")]

namespace TrialFlow.Intake.Domain;

/// <summary>
/// The Intake module's tables in the one database, as properties of the kernel's context (<c>db.IntakeReceipts</c>…). They
/// live in the Domain namespace so that code using the entities finds its tables with the same <c>using</c>.
/// </summary>
public static class IntakeTables
{
    extension(TrialFlowDbContext db)
    {
        public DbSet<QuarantineItem> QuarantineItems => db.Set<QuarantineItem>();
        public DbSet<IntakeReceipt> IntakeReceipts => db.Set<IntakeReceipt>();
        public DbSet<UploadSession> UploadSessions => db.Set<UploadSession>();
        public DbSet<QualificationScan> QualificationScans => db.Set<QualificationScan>();
        public DbSet<QualificationImage> QualificationImages => db.Set<QualificationImage>();
    }
}
