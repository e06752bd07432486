using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Modules;
using TrialFlow.Core.Persistence;

[assembly: TrialFlowModule("Retrieval")]

namespace TrialFlow.Retrieval.Domain;

/// <summary>The Retrieval module's tables in the one database, as properties of the kernel's context.</summary>
public static class RetrievalTables
{
    extension(TrialFlowDbContext db)
    {
        public DbSet<PacsConnection> PacsConnections => db.Set<PacsConnection>();
        public DbSet<PullJob> PullJobs => db.Set<PullJob>();
        public DbSet<PullItem> PullItems => db.Set<PullItem>();
    }
}
