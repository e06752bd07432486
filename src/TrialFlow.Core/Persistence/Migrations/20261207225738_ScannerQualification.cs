using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TrialFlow.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ScannerQualification : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Purpose",
                table: "UploadSessions",
                maxLength: 16,
                nullable: false,
                defaultValue: "Subject");

            migrationBuilder.AddColumn<string>(
                name: "ClientCertificateSha256",
                table: "Sites",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EvidenceFileContentType",
                table: "ChecklistEntries",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EvidenceFileName",
                table: "ChecklistEntries",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EvidenceFileSha256",
                table: "ChecklistEntries",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "EvidenceFileSize",
                table: "ChecklistEntries",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "QualificationScans",
                columns: table => new
                {
                    Id = table.Column<Guid>(nullable: false),
                    TrialId = table.Column<Guid>(nullable: false),
                    SiteId = table.Column<Guid>(nullable: false),
                    StudyInstanceUid = table.Column<string>(maxLength: 64, nullable: false),
                    Modality = table.Column<string>(maxLength: 16, nullable: false),
                    Manufacturer = table.Column<string>(maxLength: 64, nullable: true),
                    Model = table.Column<string>(maxLength: 64, nullable: true),
                    StationName = table.Column<string>(maxLength: 64, nullable: true),
                    DeviceSerialNumber = table.Column<string>(maxLength: 64, nullable: true),
                    SoftwareVersions = table.Column<string>(maxLength: 256, nullable: true),
                    Channel = table.Column<string>(maxLength: 16, nullable: false),
                    UploadSessionId = table.Column<Guid>(nullable: true),
                    ReceivedAt = table.Column<DateTime>(nullable: false),
                    LastReceivedAt = table.Column<DateTime>(nullable: false),
                    CompletedAt = table.Column<DateTime>(nullable: true),
                    Status = table.Column<string>(maxLength: 16, nullable: false),
                    Outcome = table.Column<string>(maxLength: 32, nullable: true),
                    EvaluatedWith = table.Column<string>(maxLength: 512, nullable: true),
                    Findings = table.Column<string>(maxLength: 8000, nullable: true),
                    EvaluatedAt = table.Column<DateTime>(nullable: true),
                    NumberOfImages = table.Column<int>(nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QualificationScans", x => x.Id);
                    table.ForeignKey(
                        name: "FK_QualificationScans_Sites_SiteId",
                        column: x => x.SiteId,
                        principalTable: "Sites",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_QualificationScans_Trials_TrialId",
                        column: x => x.TrialId,
                        principalTable: "Trials",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "QualifiedScanners",
                columns: table => new
                {
                    Id = table.Column<Guid>(nullable: false),
                    TrialId = table.Column<Guid>(nullable: false),
                    SiteId = table.Column<Guid>(nullable: false),
                    Modality = table.Column<string>(maxLength: 16, nullable: false),
                    Manufacturer = table.Column<string>(maxLength: 64, nullable: false),
                    Model = table.Column<string>(maxLength: 64, nullable: false),
                    StationName = table.Column<string>(maxLength: 64, nullable: true),
                    DeviceSerialNumber = table.Column<string>(maxLength: 64, nullable: true),
                    SoftwareVersions = table.Column<string>(maxLength: 256, nullable: true),
                    Protocol = table.Column<string>(maxLength: 128, nullable: false),
                    Evidence = table.Column<string>(maxLength: 2000, nullable: false),
                    QualifiedBy = table.Column<string>(maxLength: 256, nullable: false),
                    QualifiedAt = table.Column<DateTime>(nullable: false),
                    QualificationScanId = table.Column<Guid>(nullable: true),
                    SoftwareChangedTo = table.Column<string>(maxLength: 256, nullable: true),
                    SoftwareChangedAt = table.Column<DateTime>(nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QualifiedScanners", x => x.Id);
                    table.ForeignKey(
                        name: "FK_QualifiedScanners_Sites_SiteId",
                        column: x => x.SiteId,
                        principalTable: "Sites",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_QualifiedScanners_Trials_TrialId",
                        column: x => x.TrialId,
                        principalTable: "Trials",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "QualificationImages",
                columns: table => new
                {
                    Id = table.Column<Guid>(nullable: false),
                    ScanId = table.Column<Guid>(nullable: false),
                    SiteId = table.Column<Guid>(nullable: false),
                    SeriesInstanceUid = table.Column<string>(maxLength: 64, nullable: false),
                    SeriesNumber = table.Column<int>(nullable: true),
                    SeriesDescription = table.Column<string>(maxLength: 128, nullable: true),
                    Modality = table.Column<string>(maxLength: 16, nullable: false),
                    SopInstanceUid = table.Column<string>(maxLength: 64, nullable: false),
                    SopClassUid = table.Column<string>(maxLength: 64, nullable: false),
                    InstanceNumber = table.Column<int>(nullable: true),
                    ArchiveSha256 = table.Column<string>(maxLength: 64, nullable: false),
                    ArchiveSize = table.Column<long>(nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QualificationImages", x => x.Id);
                    table.ForeignKey(
                        name: "FK_QualificationImages_QualificationScans_ScanId",
                        column: x => x.ScanId,
                        principalTable: "QualificationScans",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_QualificationImages_ScanId_SopInstanceUid",
                table: "QualificationImages",
                columns: new[] { "ScanId", "SopInstanceUid" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_QualificationScans_SiteId_StudyInstanceUid",
                table: "QualificationScans",
                columns: new[] { "SiteId", "StudyInstanceUid" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_QualificationScans_Status_LastReceivedAt",
                table: "QualificationScans",
                columns: new[] { "Status", "LastReceivedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_QualificationScans_TrialId",
                table: "QualificationScans",
                column: "TrialId");

            migrationBuilder.CreateIndex(
                name: "IX_QualifiedScanners_SiteId_Modality",
                table: "QualifiedScanners",
                columns: new[] { "SiteId", "Modality" });

            migrationBuilder.CreateIndex(
                name: "IX_QualifiedScanners_TrialId",
                table: "QualifiedScanners",
                column: "TrialId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "QualificationImages");

            migrationBuilder.DropTable(
                name: "QualifiedScanners");

            migrationBuilder.DropTable(
                name: "QualificationScans");

            // SQLite drops the columns in place (3.35+): EF's DropColumn rebuilds the table with foreign keys off, which
            // cannot run inside the migration's transaction.
            (string Table, string Column)[] columns =
            [
                ("UploadSessions", "Purpose"), ("Sites", "ClientCertificateSha256"), ("ChecklistEntries", "EvidenceFileContentType"),
                ("ChecklistEntries", "EvidenceFileName"), ("ChecklistEntries", "EvidenceFileSha256"), ("ChecklistEntries", "EvidenceFileSize"),
            ];
            foreach (var (table, column) in columns)
                if (migrationBuilder.IsSqlite())
                    migrationBuilder.Sql($"""ALTER TABLE "{table}" DROP COLUMN "{column}";""");
                else
                    migrationBuilder.DropColumn(name: column, table: table);
        }
    }
}
