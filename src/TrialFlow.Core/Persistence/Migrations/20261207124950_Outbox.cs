using System;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TrialFlow.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Outbox : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Outbox",
                columns: table => new
                {
                    Id = table.Column<Guid>(nullable: false),
                    Type = table.Column<string>(maxLength: 128, nullable: false),
                    Payload = table.Column<string>(nullable: false),
                    OccurredAt = table.Column<DateTime>(nullable: false),
                    DispatchedAt = table.Column<DateTime>(nullable: true),
                    NextAttemptAt = table.Column<DateTime>(nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Outbox", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "OutboxDeliveries",
                columns: table => new
                {
                    EventId = table.Column<Guid>(nullable: false),
                    Handler = table.Column<string>(maxLength: 128, nullable: false),
                    Attempts = table.Column<int>(nullable: false),
                    DeliveredAt = table.Column<DateTime>(nullable: true),
                    LastAttemptAt = table.Column<DateTime>(nullable: true),
                    LastError = table.Column<string>(maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OutboxDeliveries", x => new { x.EventId, x.Handler });
                    table.ForeignKey(
                        name: "FK_OutboxDeliveries_Outbox_EventId",
                        column: x => x.EventId,
                        principalTable: "Outbox",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Outbox_DispatchedAt_OccurredAt",
                table: "Outbox",
                columns: new[] { "DispatchedAt", "OccurredAt" });

            // Studies that completed before events existed and still wait for QC: the pollers that would have found
            // them are gone, so each gets the StudyCompleted it would have raised (event id = study id, one per study).
            if (migrationBuilder.IsSqlite())
                migrationBuilder.Sql("""
                    INSERT INTO "Outbox" ("Id", "Type", "Payload", "OccurredAt")
                    SELECT "Id", 'StudyCompleted',
                           json_object('StudyId', "Id", 'TrialId', "TrialId", 'SiteId', "SiteId", 'CompletedAt', replace("CompletedAt", ' ', 'T') || 'Z'),
                           "CompletedAt"
                    FROM "Studies" WHERE "Status" = 'Complete' AND "CompletedAt" IS NOT NULL;
                    """);
            else if (migrationBuilder.IsNpgsql())
                migrationBuilder.Sql("""
                    INSERT INTO "Outbox" ("Id", "Type", "Payload", "OccurredAt")
                    SELECT "Id", 'StudyCompleted',
                           json_build_object('StudyId', "Id", 'TrialId', "TrialId", 'SiteId', "SiteId",
                                             'CompletedAt', to_char("CompletedAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))::text,
                           "CompletedAt"
                    FROM "Studies" WHERE "Status" = 'Complete' AND "CompletedAt" IS NOT NULL;
                    """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "OutboxDeliveries");

            migrationBuilder.DropTable(
                name: "Outbox");
        }
    }
}
