using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TrialFlow.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Queries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_QcResults_StudyId_RulesetVersionId_ProtocolSha256",
                table: "QcResults");

            migrationBuilder.AddColumn<string>(
                name: "ImagesSha256",
                table: "QcResults",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "Queries",
                columns: table => new
                {
                    Id = table.Column<Guid>(nullable: false),
                    Reference = table.Column<string>(maxLength: 16, nullable: false),
                    TrialId = table.Column<Guid>(nullable: false),
                    SiteId = table.Column<Guid>(nullable: false),
                    SubjectId = table.Column<Guid>(nullable: true),
                    VisitId = table.Column<Guid>(nullable: true),
                    StudyId = table.Column<Guid>(nullable: true),
                    SeriesInstanceUid = table.Column<string>(maxLength: 64, nullable: true),
                    QcResultId = table.Column<Guid>(nullable: true),
                    Category = table.Column<string>(maxLength: 32, nullable: false),
                    Priority = table.Column<string>(maxLength: 32, nullable: false),
                    Title = table.Column<string>(maxLength: 200, nullable: false),
                    AddressedTo = table.Column<string>(maxLength: 32, nullable: false),
                    Status = table.Column<string>(maxLength: 32, nullable: false),
                    IsOpen = table.Column<bool>(nullable: false),
                    RaisedById = table.Column<string>(maxLength: 450, nullable: false),
                    RaisedByName = table.Column<string>(maxLength: 256, nullable: false),
                    RaisedByRole = table.Column<string>(maxLength: 32, nullable: false),
                    RaisedAt = table.Column<DateTime>(nullable: false),
                    RaisedLocalDate = table.Column<DateOnly>(nullable: false),
                    DueDate = table.Column<DateOnly>(nullable: false),
                    OverdueFrom = table.Column<DateTime>(nullable: false),
                    AnsweredAt = table.Column<DateTime>(nullable: true),
                    ResolvedAt = table.Column<DateTime>(nullable: true),
                    BusinessDaysToResolution = table.Column<int>(nullable: true),
                    ClosedAt = table.Column<DateTime>(nullable: true),
                    CancelledAt = table.Column<DateTime>(nullable: true),
                    ReopenCount = table.Column<int>(nullable: false),
                    EscalatedAt = table.Column<DateTime>(nullable: true),
                    LinkedStudyId = table.Column<Guid>(nullable: true),
                    LinkedUploadSessionId = table.Column<Guid>(nullable: true),
                    WorkflowKey = table.Column<string>(maxLength: 256, nullable: true),
                    WorkflowInstanceId = table.Column<string>(maxLength: 64, nullable: true),
                    EndEventPending = table.Column<bool>(nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Queries", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Queries_Sites_SiteId",
                        column: x => x.SiteId,
                        principalTable: "Sites",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Queries_Trials_TrialId",
                        column: x => x.TrialId,
                        principalTable: "Trials",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "QueryTurnarounds",
                columns: table => new
                {
                    TrialId = table.Column<Guid>(nullable: false),
                    NormalBusinessDays = table.Column<int>(nullable: false),
                    HighBusinessDays = table.Column<int>(nullable: false),
                    CriticalBusinessDays = table.Column<int>(nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QueryTurnarounds", x => x.TrialId);
                    table.ForeignKey(
                        name: "FK_QueryTurnarounds_Trials_TrialId",
                        column: x => x.TrialId,
                        principalTable: "Trials",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "QueryMessages",
                columns: table => new
                {
                    Id = table.Column<Guid>(nullable: false),
                    QueryId = table.Column<Guid>(nullable: false),
                    SiteId = table.Column<Guid>(nullable: false),
                    Number = table.Column<int>(nullable: false),
                    Kind = table.Column<string>(maxLength: 32, nullable: false),
                    Text = table.Column<string>(maxLength: 8000, nullable: false),
                    AuthorId = table.Column<string>(maxLength: 450, nullable: false),
                    AuthorName = table.Column<string>(maxLength: 256, nullable: false),
                    AuthorRole = table.Column<string>(maxLength: 32, nullable: false),
                    At = table.Column<DateTime>(nullable: false),
                    StudyId = table.Column<Guid>(nullable: true),
                    UploadSessionId = table.Column<Guid>(nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QueryMessages", x => x.Id);
                    table.ForeignKey(
                        name: "FK_QueryMessages_Queries_QueryId",
                        column: x => x.QueryId,
                        principalTable: "Queries",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "QueryNotifications",
                columns: table => new
                {
                    Id = table.Column<Guid>(nullable: false),
                    QueryId = table.Column<Guid>(nullable: false),
                    SiteId = table.Column<Guid>(nullable: false),
                    TrialId = table.Column<Guid>(nullable: false),
                    RecipientRole = table.Column<string>(maxLength: 32, nullable: false),
                    Title = table.Column<string>(maxLength: 200, nullable: false),
                    CreatedAt = table.Column<DateTime>(nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QueryNotifications", x => x.Id);
                    table.ForeignKey(
                        name: "FK_QueryNotifications_Queries_QueryId",
                        column: x => x.QueryId,
                        principalTable: "Queries",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "QuerySourceFindings",
                columns: table => new
                {
                    Id = table.Column<Guid>(nullable: false),
                    QueryId = table.Column<Guid>(nullable: false),
                    SiteId = table.Column<Guid>(nullable: false),
                    QcFindingId = table.Column<Guid>(nullable: true),
                    RuleId = table.Column<string>(maxLength: 64, nullable: false),
                    Severity = table.Column<string>(maxLength: 32, nullable: false),
                    Message = table.Column<string>(maxLength: 1024, nullable: false),
                    SeriesInstanceUid = table.Column<string>(maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QuerySourceFindings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_QuerySourceFindings_Queries_QueryId",
                        column: x => x.QueryId,
                        principalTable: "Queries",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_QcResults_StudyId_RulesetVersionId_ProtocolSha256_ImagesSha256",
                table: "QcResults",
                columns: new[] { "StudyId", "RulesetVersionId", "ProtocolSha256", "ImagesSha256" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Queries_EndEventPending",
                table: "Queries",
                column: "EndEventPending");

            migrationBuilder.CreateIndex(
                name: "IX_Queries_IsOpen_RaisedAt_Id",
                table: "Queries",
                columns: new[] { "IsOpen", "RaisedAt", "Id" },
                descending: new[] { true, false, false });

            migrationBuilder.CreateIndex(
                name: "IX_Queries_IsOpen_SiteId_RaisedLocalDate",
                table: "Queries",
                columns: new[] { "IsOpen", "SiteId", "RaisedLocalDate" });

            migrationBuilder.CreateIndex(
                name: "IX_Queries_IsOpen_SiteId_Status_OverdueFrom_EscalatedAt",
                table: "Queries",
                columns: new[] { "IsOpen", "SiteId", "Status", "OverdueFrom", "EscalatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Queries_Reference",
                table: "Queries",
                column: "Reference",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Queries_SiteId_BusinessDaysToResolution",
                table: "Queries",
                columns: new[] { "SiteId", "BusinessDaysToResolution" });

            migrationBuilder.CreateIndex(
                name: "IX_Queries_SiteId_Category_AnsweredAt_ReopenCount",
                table: "Queries",
                columns: new[] { "SiteId", "Category", "AnsweredAt", "ReopenCount" });

            migrationBuilder.CreateIndex(
                name: "IX_Queries_SiteId_IsOpen_RaisedAt_Id",
                table: "Queries",
                columns: new[] { "SiteId", "IsOpen", "RaisedAt", "Id" },
                descending: new[] { false, true, false, false });

            migrationBuilder.CreateIndex(
                name: "IX_Queries_StudyId",
                table: "Queries",
                column: "StudyId");

            migrationBuilder.CreateIndex(
                name: "IX_Queries_TrialId",
                table: "Queries",
                column: "TrialId");

            migrationBuilder.CreateIndex(
                name: "IX_Queries_WorkflowKey",
                table: "Queries",
                column: "WorkflowKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_QueryMessages_QueryId_Number",
                table: "QueryMessages",
                columns: new[] { "QueryId", "Number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_QueryNotifications_QueryId",
                table: "QueryNotifications",
                column: "QueryId");

            migrationBuilder.CreateIndex(
                name: "IX_QueryNotifications_RecipientRole_CreatedAt",
                table: "QueryNotifications",
                columns: new[] { "RecipientRole", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_QuerySourceFindings_QueryId",
                table: "QuerySourceFindings",
                column: "QueryId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "QueryMessages");

            migrationBuilder.DropTable(
                name: "QueryNotifications");

            migrationBuilder.DropTable(
                name: "QuerySourceFindings");

            migrationBuilder.DropTable(
                name: "QueryTurnarounds");

            migrationBuilder.DropTable(
                name: "Queries");

            migrationBuilder.DropIndex(
                name: "IX_QcResults_StudyId_RulesetVersionId_ProtocolSha256_ImagesSha256",
                table: "QcResults");

            migrationBuilder.DropColumn(
                name: "ImagesSha256",
                table: "QcResults");

            migrationBuilder.CreateIndex(
                name: "IX_QcResults_StudyId_RulesetVersionId_ProtocolSha256",
                table: "QcResults",
                columns: new[] { "StudyId", "RulesetVersionId", "ProtocolSha256" },
                unique: true);
        }
    }
}
