using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TrialFlow.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class RetrospectivePulls : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "PacsConnections",
                columns: table => new
                {
                    Id = table.Column<Guid>(nullable: false),
                    SiteId = table.Column<Guid>(nullable: false),
                    AeTitle = table.Column<string>(maxLength: 16, nullable: true),
                    Host = table.Column<string>(maxLength: 255, nullable: true),
                    Port = table.Column<int>(nullable: true),
                    OurAeTitle = table.Column<string>(maxLength: 16, nullable: false),
                    DicomWebUrl = table.Column<string>(maxLength: 1000, nullable: true),
                    DicomWebUser = table.Column<string>(maxLength: 256, nullable: true),
                    DicomWebSecret = table.Column<string>(maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PacsConnections", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PacsConnections_Sites_SiteId",
                        column: x => x.SiteId,
                        principalTable: "Sites",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "PullJobs",
                columns: table => new
                {
                    Id = table.Column<Guid>(nullable: false),
                    TrialId = table.Column<Guid>(nullable: false),
                    SiteId = table.Column<Guid>(nullable: false),
                    Method = table.Column<string>(maxLength: 16, nullable: false),
                    Pacs = table.Column<string>(maxLength: 1000, nullable: false),
                    PacsAeTitle = table.Column<string>(maxLength: 16, nullable: true),
                    PacsHost = table.Column<string>(maxLength: 255, nullable: true),
                    PacsPort = table.Column<int>(nullable: true),
                    OurAeTitle = table.Column<string>(maxLength: 16, nullable: false),
                    DicomWebUrl = table.Column<string>(maxLength: 1000, nullable: true),
                    CohortFileName = table.Column<string>(maxLength: 255, nullable: false),
                    CohortSha256 = table.Column<string>(maxLength: 64, nullable: false),
                    CreatedBy = table.Column<string>(maxLength: 256, nullable: false),
                    CreatedAt = table.Column<DateTime>(nullable: false),
                    State = table.Column<string>(maxLength: 16, nullable: false),
                    StartedAt = table.Column<DateTime>(nullable: true),
                    FinishedAt = table.Column<DateTime>(nullable: true),
                    MaxConcurrentStudies = table.Column<int>(nullable: false),
                    MaxBytesPerSecond = table.Column<long>(nullable: true),
                    LeaseOwner = table.Column<string>(maxLength: 128, nullable: true),
                    LeaseUntil = table.Column<DateTime>(nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PullJobs", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PullJobs_Sites_SiteId",
                        column: x => x.SiteId,
                        principalTable: "Sites",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "PullItems",
                columns: table => new
                {
                    Id = table.Column<Guid>(nullable: false),
                    JobId = table.Column<Guid>(nullable: false),
                    SiteId = table.Column<Guid>(nullable: false),
                    Line = table.Column<int>(nullable: false),
                    SubjectKey = table.Column<string>(maxLength: 64, nullable: false),
                    SubjectId = table.Column<Guid>(nullable: true),
                    MatchedBy = table.Column<string>(maxLength: 32, nullable: false),
                    PatientKeyHash = table.Column<string>(maxLength: 64, nullable: true),
                    SourceStudySealed = table.Column<byte[]>(nullable: true),
                    StudyDate = table.Column<DateOnly>(nullable: true),
                    Modalities = table.Column<string>(maxLength: 64, nullable: false),
                    ExpectedSeries = table.Column<int>(nullable: true),
                    ExpectedInstances = table.Column<int>(nullable: true),
                    State = table.Column<string>(maxLength: 16, nullable: false),
                    Problem = table.Column<string>(maxLength: 1000, nullable: true),
                    Attempts = table.Column<int>(nullable: false),
                    NextAttemptAt = table.Column<DateTime>(nullable: true),
                    Received = table.Column<int>(nullable: false),
                    NotReceived = table.Column<int>(nullable: false),
                    LastError = table.Column<string>(maxLength: 1000, nullable: true),
                    RetrievedAt = table.Column<DateTime>(nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PullItems", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PullItems_PullJobs_JobId",
                        column: x => x.JobId,
                        principalTable: "PullJobs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PacsConnections_SiteId",
                table: "PacsConnections",
                column: "SiteId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PullItems_JobId_State",
                table: "PullItems",
                columns: new[] { "JobId", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_PullJobs_SiteId_CreatedAt",
                table: "PullJobs",
                columns: new[] { "SiteId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_PullJobs_State_LeaseUntil",
                table: "PullJobs",
                columns: new[] { "State", "LeaseUntil" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PacsConnections");

            migrationBuilder.DropTable(
                name: "PullItems");

            migrationBuilder.DropTable(
                name: "PullJobs");
        }
    }
}
