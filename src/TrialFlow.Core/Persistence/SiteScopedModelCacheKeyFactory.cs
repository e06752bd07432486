using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace TrialFlow.Core.Persistence;

/// <summary>
/// Two models of <see cref="TrialFlowDbContext"/>: one for actors scoped to sites, whose filters are a plain
/// <c>SiteId IN (@sites)</c> that SQLite and PostgreSQL answer from the (SiteId, …) indexes, and one for unrestricted
/// actors. A single model needs <c>@unrestricted OR SiteId IN (…)</c>, and an OR with a parameter keeps the planner
/// off those indexes: a site user's query inbox sorted all of its site's rows on every page.
/// </summary>
internal sealed class SiteScopedModelCacheKeyFactory : IModelCacheKeyFactory
{
    public object Create(DbContext context, bool designTime) =>
        context is TrialFlowDbContext db ? (context.GetType(), db.SiteRestrictedModel, designTime) : (context.GetType(), designTime);
}
