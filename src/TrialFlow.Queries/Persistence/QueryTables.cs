using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Modules;
using TrialFlow.Core.Persistence;

[assembly: TrialFlowModule("Queries")]

namespace TrialFlow.Queries.Domain;

/// <summary>
/// The Queries module's tables in the one database, as properties of the kernel's context (<c>db.QueryMessages</c>…). They
/// live in the Domain namespace so that code using the entities finds its tables with the same <c>using</c>.
/// </summary>
public static class QueryTables
{
    extension(TrialFlowDbContext db)
    {
        public DbSet<Query> Queries => db.Set<Query>();
        public DbSet<QueryMessage> QueryMessages => db.Set<QueryMessage>();
        public DbSet<QuerySourceFinding> QuerySourceFindings => db.Set<QuerySourceFinding>();
        public DbSet<QueryNotification> QueryNotifications => db.Set<QueryNotification>();
        public DbSet<QueryTurnaround> QueryTurnarounds => db.Set<QueryTurnaround>();
    }
}
