using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace TrialFlow.Core.Persistence;

/// <summary>
/// Every timestamp in TrialFlow is UTC. SQLite returns DateTime with an unspecified kind and PostgreSQL's
/// timestamptz refuses local ones, so the kind is fixed on the way in and on the way out.
/// </summary>
internal sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Utc ? v : v.Kind == DateTimeKind.Local ? v.ToUniversalTime() : DateTime.SpecifyKind(v, DateTimeKind.Utc),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
