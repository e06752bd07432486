using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TrialFlow.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class IntakeRecords : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "LastReceivedAt",
                table: "Studies",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Utc));

            migrationBuilder.CreateTable(
                name: "IntakeReceipts",
                columns: table => new
                {
                    Id = table.Column<Guid>(nullable: false),
                    StagingName = table.Column<string>(maxLength: 128, nullable: false),
                    TrialId = table.Column<Guid>(nullable: false),
                    SiteId = table.Column<Guid>(nullable: false),
                    Channel = table.Column<string>(maxLength: 32, nullable: false),
                    ReceivedAt = table.Column<DateTime>(nullable: false),
                    ProcessedAt = table.Column<DateTime>(nullable: false),
                    Outcome = table.Column<string>(maxLength: 32, nullable: false),
                    Reason = table.Column<string>(maxLength: 1024, nullable: true),
                    SizeBytes = table.Column<long>(nullable: false),
                    UploadSessionId = table.Column<Guid>(nullable: true),
                    StudyId = table.Column<Guid>(nullable: true),
                    InstanceId = table.Column<Guid>(nullable: true),
                    QuarantineItemId = table.Column<Guid>(nullable: true),
                    Sender = table.Column<string>(maxLength: 128, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IntakeReceipts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_IntakeReceipts_Sites_SiteId",
                        column: x => x.SiteId,
                        principalTable: "Sites",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "QuarantineItems",
                columns: table => new
                {
                    Id = table.Column<Guid>(nullable: false),
                    TrialId = table.Column<Guid>(nullable: false),
                    SiteId = table.Column<Guid>(nullable: false),
                    Channel = table.Column<string>(maxLength: 32, nullable: false),
                    Reason = table.Column<string>(maxLength: 32, nullable: false),
                    Detail = table.Column<string>(maxLength: 1024, nullable: false),
                    BlobName = table.Column<string>(maxLength: 128, nullable: false),
                    ReceivedAt = table.Column<DateTime>(nullable: false),
                    UploadSessionId = table.Column<Guid>(nullable: true),
                    Modality = table.Column<string>(maxLength: 16, nullable: true),
                    StudyDate = table.Column<DateOnly>(nullable: true),
                    SopClassUid = table.Column<string>(maxLength: 64, nullable: true),
                    Status = table.Column<string>(maxLength: 32, nullable: false),
                    ResolvedAt = table.Column<DateTime>(nullable: true),
                    Resolution = table.Column<string>(maxLength: 1024, nullable: true),
                    AssignedSubjectId = table.Column<Guid>(nullable: true),
                    AssignedVisitId = table.Column<Guid>(nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QuarantineItems", x => x.Id);
                    table.ForeignKey(
                        name: "FK_QuarantineItems_Sites_SiteId",
                        column: x => x.SiteId,
                        principalTable: "Sites",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_QuarantineItems_Trials_TrialId",
                        column: x => x.TrialId,
                        principalTable: "Trials",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "UploadSessions",
                columns: table => new
                {
                    Id = table.Column<Guid>(nullable: false),
                    TrialId = table.Column<Guid>(nullable: false),
                    SiteId = table.Column<Guid>(nullable: false),
                    SubjectId = table.Column<Guid>(nullable: true),
                    VisitId = table.Column<Guid>(nullable: true),
                    Channel = table.Column<string>(maxLength: 32, nullable: false),
                    CreatedBy = table.Column<string>(maxLength: 256, nullable: false),
                    CreatedAt = table.Column<DateTime>(nullable: false),
                    Status = table.Column<string>(maxLength: 32, nullable: false),
                    SubmittedAt = table.Column<DateTime>(nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UploadSessions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_UploadSessions_Sites_SiteId",
                        column: x => x.SiteId,
                        principalTable: "Sites",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_UploadSessions_Subjects_SubjectId",
                        column: x => x.SubjectId,
                        principalTable: "Subjects",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_UploadSessions_Visits_VisitId",
                        column: x => x.VisitId,
                        principalTable: "Visits",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Studies_Status_LastReceivedAt",
                table: "Studies",
                columns: new[] { "Status", "LastReceivedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_IntakeReceipts_SiteId_ReceivedAt",
                table: "IntakeReceipts",
                columns: new[] { "SiteId", "ReceivedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_IntakeReceipts_StagingName",
                table: "IntakeReceipts",
                column: "StagingName",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_QuarantineItems_SiteId_Status",
                table: "QuarantineItems",
                columns: new[] { "SiteId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_QuarantineItems_TrialId",
                table: "QuarantineItems",
                column: "TrialId");

            migrationBuilder.CreateIndex(
                name: "IX_UploadSessions_SiteId_Status",
                table: "UploadSessions",
                columns: new[] { "SiteId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_UploadSessions_SubjectId",
                table: "UploadSessions",
                column: "SubjectId");

            migrationBuilder.CreateIndex(
                name: "IX_UploadSessions_VisitId",
                table: "UploadSessions",
                column: "VisitId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "IntakeReceipts");

            migrationBuilder.DropTable(
                name: "QuarantineItems");

            migrationBuilder.DropTable(
                name: "UploadSessions");

            migrationBuilder.DropIndex(
                name: "IX_Studies_Status_LastReceivedAt",
                table: "Studies");

            migrationBuilder.DropColumn(
                name: "LastReceivedAt",
                table: "Studies");
        }
    }
}
