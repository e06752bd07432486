using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Modules;
using TrialFlow.Core.Persistence;

[assembly: TrialFlowModule("Review")]

namespace TrialFlow.Review.Domain;

/// <summary>
/// The Review module's tables in the one database, as properties of the kernel's context (<c>db.ReaderQualifications</c>…). They
/// live in the Domain namespace so that code using the entities finds its tables with the same <c>using</c>.
/// </summary>
public static class ReviewTables
{
    extension(TrialFlowDbContext db)
    {
        public DbSet<ReviewSettings> ReviewSettings => db.Set<ReviewSettings>();
        public DbSet<ReaderQualification> ReaderQualifications => db.Set<ReaderQualification>();
        public DbSet<ReadTask> ReadTasks => db.Set<ReadTask>();
        public DbSet<Read> Reads => db.Set<Read>();
        public DbSet<ElectronicSignature> ElectronicSignatures => db.Set<ElectronicSignature>();
        public DbSet<Adjudication> Adjudications => db.Set<Adjudication>();
    }
}
