using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TrialFlow.Workflows.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class InitialWorkflows : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "WfDefinitions",
                columns: table => new
                {
                    DefinitionId = table.Column<string>(maxLength: 128, nullable: false),
                    Name = table.Column<string>(maxLength: 200, nullable: false),
                    TrialId = table.Column<Guid>(nullable: true),
                    DraftJson = table.Column<string>(nullable: false),
                    UpdatedAt = table.Column<DateTime>(nullable: false),
                    UpdatedBy = table.Column<string>(maxLength: 128, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WfDefinitions", x => x.DefinitionId);
                });

            migrationBuilder.CreateTable(
                name: "WfEvents",
                columns: table => new
                {
                    Id = table.Column<string>(maxLength: 64, nullable: false),
                    EventName = table.Column<string>(maxLength: 200, nullable: false),
                    EventKey = table.Column<string>(maxLength: 200, nullable: false),
                    EventData = table.Column<string>(nullable: true),
                    EventTime = table.Column<DateTime>(nullable: false),
                    IsProcessed = table.Column<bool>(nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WfEvents", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "WfExecutionErrors",
                columns: table => new
                {
                    Id = table.Column<long>(nullable: false)
                        .Annotation("Sqlite:Autoincrement", true)
                        .Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    WorkflowId = table.Column<string>(maxLength: 64, nullable: false),
                    ExecutionPointerId = table.Column<string>(maxLength: 64, nullable: false),
                    ErrorTime = table.Column<DateTime>(nullable: false),
                    Message = table.Column<string>(nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WfExecutionErrors", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "WfIncidents",
                columns: table => new
                {
                    Id = table.Column<long>(nullable: false)
                        .Annotation("Sqlite:Autoincrement", true)
                        .Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    InstanceId = table.Column<string>(maxLength: 64, nullable: false),
                    ExecutionPointerId = table.Column<string>(maxLength: 64, nullable: false),
                    ActivityId = table.Column<string>(maxLength: 128, nullable: false),
                    ActivityType = table.Column<string>(maxLength: 128, nullable: false),
                    StudyId = table.Column<Guid>(nullable: false),
                    Attempts = table.Column<int>(nullable: false),
                    Message = table.Column<string>(nullable: false),
                    OccurredAt = table.Column<DateTime>(nullable: false),
                    ResolvedAt = table.Column<DateTime>(nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WfIncidents", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "WfInstances",
                columns: table => new
                {
                    Id = table.Column<string>(maxLength: 64, nullable: false),
                    DefinitionId = table.Column<string>(maxLength: 128, nullable: false),
                    Version = table.Column<int>(nullable: false),
                    Description = table.Column<string>(nullable: true),
                    Reference = table.Column<string>(maxLength: 200, nullable: true),
                    Status = table.Column<string>(maxLength: 16, nullable: false),
                    Data = table.Column<string>(nullable: false),
                    Pointers = table.Column<string>(nullable: false),
                    NextExecution = table.Column<long>(nullable: true),
                    CreateTime = table.Column<DateTime>(nullable: false),
                    CompleteTime = table.Column<DateTime>(nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WfInstances", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "WfJournal",
                columns: table => new
                {
                    Id = table.Column<long>(nullable: false)
                        .Annotation("Sqlite:Autoincrement", true)
                        .Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    InstanceId = table.Column<string>(maxLength: 64, nullable: false),
                    ExecutionPointerId = table.Column<string>(maxLength: 64, nullable: false),
                    ActivityId = table.Column<string>(maxLength: 128, nullable: false),
                    ActivityType = table.Column<string>(maxLength: 128, nullable: false),
                    Kind = table.Column<string>(maxLength: 16, nullable: false),
                    Outcome = table.Column<string>(nullable: true),
                    Message = table.Column<string>(nullable: true),
                    StartedAt = table.Column<DateTime>(nullable: false),
                    EndedAt = table.Column<DateTime>(nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WfJournal", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "WfNotifications",
                columns: table => new
                {
                    Id = table.Column<long>(nullable: false)
                        .Annotation("Sqlite:Autoincrement", true)
                        .Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    IdempotencyKey = table.Column<string>(maxLength: 140, nullable: false),
                    TrialId = table.Column<Guid>(nullable: false),
                    SiteId = table.Column<Guid>(nullable: false),
                    StudyId = table.Column<Guid>(nullable: false),
                    Recipient = table.Column<string>(maxLength: 64, nullable: false),
                    Title = table.Column<string>(maxLength: 200, nullable: false),
                    Message = table.Column<string>(nullable: false),
                    InstanceId = table.Column<string>(maxLength: 64, nullable: false),
                    CreatedAt = table.Column<DateTime>(nullable: false),
                    ReadAt = table.Column<DateTime>(nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WfNotifications", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "WfSubscriptions",
                columns: table => new
                {
                    Id = table.Column<string>(maxLength: 64, nullable: false),
                    WorkflowId = table.Column<string>(maxLength: 64, nullable: false),
                    StepId = table.Column<int>(nullable: false),
                    ExecutionPointerId = table.Column<string>(maxLength: 64, nullable: false),
                    EventName = table.Column<string>(maxLength: 200, nullable: false),
                    EventKey = table.Column<string>(maxLength: 200, nullable: false),
                    SubscribeAsOf = table.Column<DateTime>(nullable: false),
                    SubscriptionData = table.Column<string>(nullable: true),
                    ExternalToken = table.Column<string>(nullable: true),
                    ExternalWorkerId = table.Column<string>(nullable: true),
                    ExternalTokenExpiry = table.Column<DateTime>(nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WfSubscriptions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "WfVersions",
                columns: table => new
                {
                    DefinitionId = table.Column<string>(maxLength: 128, nullable: false),
                    Version = table.Column<int>(nullable: false),
                    Json = table.Column<string>(nullable: false),
                    PublishedAt = table.Column<DateTime>(nullable: false),
                    PublishedBy = table.Column<string>(maxLength: 128, nullable: false),
                    Reason = table.Column<string>(nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WfVersions", x => new { x.DefinitionId, x.Version });
                });

            migrationBuilder.CreateIndex(
                name: "IX_WfDefinitions_TrialId",
                table: "WfDefinitions",
                column: "TrialId");

            migrationBuilder.CreateIndex(
                name: "IX_WfEvents_EventName_EventKey_EventTime",
                table: "WfEvents",
                columns: new[] { "EventName", "EventKey", "EventTime" });

            migrationBuilder.CreateIndex(
                name: "IX_WfEvents_IsProcessed_EventTime",
                table: "WfEvents",
                columns: new[] { "IsProcessed", "EventTime" });

            migrationBuilder.CreateIndex(
                name: "IX_WfExecutionErrors_WorkflowId",
                table: "WfExecutionErrors",
                column: "WorkflowId");

            migrationBuilder.CreateIndex(
                name: "IX_WfIncidents_InstanceId_ExecutionPointerId",
                table: "WfIncidents",
                columns: new[] { "InstanceId", "ExecutionPointerId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_WfInstances_Reference",
                table: "WfInstances",
                column: "Reference",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_WfInstances_Status_NextExecution",
                table: "WfInstances",
                columns: new[] { "Status", "NextExecution" });

            migrationBuilder.CreateIndex(
                name: "IX_WfJournal_InstanceId",
                table: "WfJournal",
                column: "InstanceId");

            migrationBuilder.CreateIndex(
                name: "IX_WfNotifications_IdempotencyKey",
                table: "WfNotifications",
                column: "IdempotencyKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_WfNotifications_SiteId_Recipient_ReadAt",
                table: "WfNotifications",
                columns: new[] { "SiteId", "Recipient", "ReadAt" });

            migrationBuilder.CreateIndex(
                name: "IX_WfSubscriptions_EventName_EventKey_SubscribeAsOf",
                table: "WfSubscriptions",
                columns: new[] { "EventName", "EventKey", "SubscribeAsOf" });

            migrationBuilder.CreateIndex(
                name: "IX_WfSubscriptions_WorkflowId",
                table: "WfSubscriptions",
                column: "WorkflowId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "WfDefinitions");

            migrationBuilder.DropTable(
                name: "WfEvents");

            migrationBuilder.DropTable(
                name: "WfExecutionErrors");

            migrationBuilder.DropTable(
                name: "WfIncidents");

            migrationBuilder.DropTable(
                name: "WfInstances");

            migrationBuilder.DropTable(
                name: "WfJournal");

            migrationBuilder.DropTable(
                name: "WfNotifications");

            migrationBuilder.DropTable(
                name: "WfSubscriptions");

            migrationBuilder.DropTable(
                name: "WfVersions");
        }
    }
}
