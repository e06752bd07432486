using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TrialFlow.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class QueryEndedEvent : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Query ends a waiting workflow had not been told of yet (the flag was the queries' own outbox) become the
            // QueryEnded events that now tell it (event id = query id, one per query).
            if (migrationBuilder.IsSqlite())
                migrationBuilder.Sql("""
                    INSERT INTO "Outbox" ("Id", "Type", "Payload", "OccurredAt")
                    SELECT "Id", 'QueryEnded',
                           json_object('QueryId', "Id", 'TrialId', "TrialId", 'SiteId', "SiteId", 'Reference', "Reference", 'Status', "Status",
                                       'WorkflowInstanceId', "WorkflowInstanceId",
                                       'EndedAt', replace(COALESCE("ResolvedAt", "CancelledAt"), ' ', 'T') || 'Z'),
                           COALESCE("ResolvedAt", "CancelledAt")
                    FROM "Queries" WHERE "EndEventPending" AND COALESCE("ResolvedAt", "CancelledAt") IS NOT NULL;
                    """);
            else if (migrationBuilder.IsNpgsql())
                migrationBuilder.Sql("""
                    INSERT INTO "Outbox" ("Id", "Type", "Payload", "OccurredAt")
                    SELECT "Id", 'QueryEnded',
                           json_build_object('QueryId', "Id", 'TrialId', "TrialId", 'SiteId', "SiteId", 'Reference', "Reference", 'Status', "Status",
                                             'WorkflowInstanceId', "WorkflowInstanceId",
                                             'EndedAt', to_char(COALESCE("ResolvedAt", "CancelledAt") AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))::text,
                           COALESCE("ResolvedAt", "CancelledAt")
                    FROM "Queries" WHERE "EndEventPending" AND COALESCE("ResolvedAt", "CancelledAt") IS NOT NULL;
                    """);

            migrationBuilder.DropIndex(
                name: "IX_Queries_EndEventPending",
                table: "Queries");

            // SQLite drops the column in place (3.35+): EF's DropColumn rebuilds the table with foreign keys off, which
            // cannot run inside the migration's transaction.
            if (migrationBuilder.IsSqlite())
                migrationBuilder.Sql("""ALTER TABLE "Queries" DROP COLUMN "EndEventPending";""");
            else
                migrationBuilder.DropColumn(
                    name: "EndEventPending",
                    table: "Queries");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "EndEventPending",
                table: "Queries",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateIndex(
                name: "IX_Queries_EndEventPending",
                table: "Queries",
                column: "EndEventPending");
        }
    }
}
