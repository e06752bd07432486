using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TrialFlow.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class CentralReview : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ElectronicSignatures",
                columns: table => new
                {
                    Id = table.Column<Guid>(nullable: false),
                    RecordType = table.Column<string>(maxLength: 32, nullable: false),
                    RecordId = table.Column<Guid>(nullable: false),
                    SignerUserId = table.Column<string>(maxLength: 450, nullable: false),
                    SignerName = table.Column<string>(maxLength: 256, nullable: false),
                    Meaning = table.Column<string>(maxLength: 256, nullable: false),
                    SignedAt = table.Column<DateTime>(nullable: false),
                    ContentSha256 = table.Column<string>(maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ElectronicSignatures", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ReaderQualifications",
                columns: table => new
                {
                    Id = table.Column<Guid>(nullable: false),
                    TrialId = table.Column<Guid>(nullable: false),
                    UserId = table.Column<string>(maxLength: 450, nullable: false),
                    Role = table.Column<string>(maxLength: 32, nullable: false),
                    TrainingRecord = table.Column<string>(maxLength: 1024, nullable: false),
                    QualifiedOn = table.Column<DateOnly>(nullable: false),
                    AffiliatedSiteId = table.Column<Guid>(nullable: true),
                    Active = table.Column<bool>(nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReaderQualifications", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ReaderQualifications_Trials_TrialId",
                        column: x => x.TrialId,
                        principalTable: "Trials",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ReadTasks",
                columns: table => new
                {
                    Id = table.Column<Guid>(nullable: false),
                    TrialId = table.Column<Guid>(nullable: false),
                    StudyId = table.Column<Guid>(nullable: false),
                    SubjectId = table.Column<Guid>(nullable: false),
                    SiteId = table.Column<Guid>(nullable: false),
                    Timepoint = table.Column<string>(maxLength: 128, nullable: false),
                    ScanDate = table.Column<DateOnly>(nullable: true),
                    Slot = table.Column<int>(nullable: false),
                    ReaderUserId = table.Column<string>(maxLength: 450, nullable: false),
                    Status = table.Column<string>(maxLength: 32, nullable: false),
                    AssignedAt = table.Column<DateTime>(nullable: false),
                    DueAt = table.Column<DateTime>(nullable: false),
                    CompletedAt = table.Column<DateTime>(nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReadTasks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ReadTasks_Studies_StudyId",
                        column: x => x.StudyId,
                        principalTable: "Studies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ReviewSettings",
                columns: table => new
                {
                    Id = table.Column<Guid>(nullable: false),
                    TrialId = table.Column<Guid>(nullable: false),
                    ReadersPerTimepoint = table.Column<int>(nullable: false),
                    FormTemplateId = table.Column<string>(maxLength: 64, nullable: false),
                    AdjudicationVariables = table.Column<string>(maxLength: 256, nullable: false),
                    TaskDueDays = table.Column<int>(nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReviewSettings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ReviewSettings_Trials_TrialId",
                        column: x => x.TrialId,
                        principalTable: "Trials",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Reads",
                columns: table => new
                {
                    Id = table.Column<Guid>(nullable: false),
                    ReadTaskId = table.Column<Guid>(nullable: false),
                    ReaderUserId = table.Column<string>(maxLength: 450, nullable: false),
                    FormTemplateId = table.Column<string>(maxLength: 64, nullable: false),
                    FormTemplateVersion = table.Column<int>(nullable: false),
                    Version = table.Column<int>(nullable: false),
                    PreviousVersionId = table.Column<Guid>(nullable: true),
                    CorrectionReason = table.Column<string>(maxLength: 1024, nullable: true),
                    Status = table.Column<string>(maxLength: 32, nullable: false),
                    Content = table.Column<string>(nullable: false),
                    Computed = table.Column<string>(nullable: false),
                    OverallResponse = table.Column<string>(maxLength: 32, nullable: true),
                    BestOverallResponse = table.Column<string>(maxLength: 32, nullable: true),
                    DateOfProgression = table.Column<string>(maxLength: 10, nullable: true),
                    SumOfDiametersMm = table.Column<decimal>(precision: 8, scale: 1, nullable: true),
                    CreatedAt = table.Column<DateTime>(nullable: false),
                    SignedAt = table.Column<DateTime>(nullable: true),
                    SignatureId = table.Column<Guid>(nullable: true),
                    IsAccepted = table.Column<bool>(nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Reads", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Reads_ReadTasks_ReadTaskId",
                        column: x => x.ReadTaskId,
                        principalTable: "ReadTasks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Adjudications",
                columns: table => new
                {
                    Id = table.Column<Guid>(nullable: false),
                    TrialId = table.Column<Guid>(nullable: false),
                    StudyId = table.Column<Guid>(nullable: false),
                    SubjectId = table.Column<Guid>(nullable: false),
                    ReadAId = table.Column<Guid>(nullable: false),
                    ReadBId = table.Column<Guid>(nullable: false),
                    Differences = table.Column<string>(maxLength: 1024, nullable: false),
                    AdjudicatorUserId = table.Column<string>(maxLength: 450, nullable: false),
                    Status = table.Column<string>(maxLength: 32, nullable: false),
                    OpenedAt = table.Column<DateTime>(nullable: false),
                    DueAt = table.Column<DateTime>(nullable: false),
                    AcceptedReadId = table.Column<Guid>(nullable: true),
                    Rationale = table.Column<string>(maxLength: 4000, nullable: true),
                    DecidedAt = table.Column<DateTime>(nullable: true),
                    SignatureId = table.Column<Guid>(nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Adjudications", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Adjudications_Reads_ReadAId",
                        column: x => x.ReadAId,
                        principalTable: "Reads",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Adjudications_Reads_ReadBId",
                        column: x => x.ReadBId,
                        principalTable: "Reads",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Adjudications_AdjudicatorUserId_Status_DueAt",
                table: "Adjudications",
                columns: new[] { "AdjudicatorUserId", "Status", "DueAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Adjudications_ReadAId",
                table: "Adjudications",
                column: "ReadAId");

            migrationBuilder.CreateIndex(
                name: "IX_Adjudications_ReadBId",
                table: "Adjudications",
                column: "ReadBId");

            migrationBuilder.CreateIndex(
                name: "IX_Adjudications_StudyId_ReadAId_ReadBId",
                table: "Adjudications",
                columns: new[] { "StudyId", "ReadAId", "ReadBId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ElectronicSignatures_RecordType_RecordId",
                table: "ElectronicSignatures",
                columns: new[] { "RecordType", "RecordId" });

            migrationBuilder.CreateIndex(
                name: "IX_ReaderQualifications_TrialId_UserId_Role",
                table: "ReaderQualifications",
                columns: new[] { "TrialId", "UserId", "Role" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Reads_ReadTaskId_Version",
                table: "Reads",
                columns: new[] { "ReadTaskId", "Version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ReadTasks_ReaderUserId_Status_DueAt",
                table: "ReadTasks",
                columns: new[] { "ReaderUserId", "Status", "DueAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ReadTasks_StudyId_Slot",
                table: "ReadTasks",
                columns: new[] { "StudyId", "Slot" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ReadTasks_SubjectId_Slot",
                table: "ReadTasks",
                columns: new[] { "SubjectId", "Slot" });

            migrationBuilder.CreateIndex(
                name: "IX_ReviewSettings_TrialId",
                table: "ReviewSettings",
                column: "TrialId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Adjudications");

            migrationBuilder.DropTable(
                name: "ElectronicSignatures");

            migrationBuilder.DropTable(
                name: "ReaderQualifications");

            migrationBuilder.DropTable(
                name: "ReviewSettings");

            migrationBuilder.DropTable(
                name: "Reads");

            migrationBuilder.DropTable(
                name: "ReadTasks");
        }
    }
}
