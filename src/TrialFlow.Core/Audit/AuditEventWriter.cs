using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace TrialFlow.Core.Audit;

/// <summary>
/// Inserts audit events with plain multi-row INSERT statements on the save's own connection and transaction.
/// Events are write-once and never tracked, so going around the change tracker costs nothing in
/// correctness and halves the work of an audited save. Values are bound in the same representation EF Core
/// uses for each provider, so EF reads them back exactly (the chain verifier proves it).
/// </summary>
internal static class AuditEventWriter
{
    private const int RowsPerStatement = 64;

    private static readonly string[] Columns =
    [
        "Sequence", "OccurredAt", "ActorId", "ActorName", "ActorRole", "SiteId", "Action",
        "EntityType", "EntityId", "OldValues", "NewValues", "Reason", "PreviousHash", "Hash", "KeyId",
    ];

    public static async Task InsertAsync(DbContext context, IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken)
    {
        var sqlite = context.Database.IsSqlite();
        var connection = context.Database.GetDbConnection();
        var transaction = context.Database.CurrentTransaction?.GetDbTransaction();
        for (var start = 0; start < events.Count; start += RowsPerStatement)
        {
            var count = Math.Min(RowsPerStatement, events.Count - start);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = Statement(count);
            for (var row = 0; row < count; row++)
                Bind(command, row, events[start + row], sqlite);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static string Statement(int rows)
    {
        var columns = string.Join(", ", Columns.Select(c => $"\"{c}\""));
        var values = Enumerable.Range(0, rows).Select(r => "(" + string.Join(", ", Columns.Select((_, c) => $"@p{r}_{c}")) + ")");
        return $"INSERT INTO \"AuditEvents\" ({columns}) VALUES {string.Join(", ", values)}";
    }

    private static void Bind(DbCommand command, int row, AuditEvent e, bool sqlite)
    {
        object?[] values =
        [
            e.Sequence,
            // EF Core's SQLite mapping stores DateTime as this text and Guid as upper-case text.
            sqlite ? e.OccurredAt.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture) : e.OccurredAt,
            e.ActorId, e.ActorName, e.ActorRole,
            e.SiteId is { } site ? (sqlite ? site.ToString().ToUpperInvariant() : site) : null,
            e.Action, e.EntityType, e.EntityId, e.OldValues, e.NewValues, e.Reason, e.PreviousHash, e.Hash, e.KeyId,
        ];
        for (var c = 0; c < values.Length; c++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = $"@p{row}_{c}";
            parameter.Value = values[c] ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
    }
}
