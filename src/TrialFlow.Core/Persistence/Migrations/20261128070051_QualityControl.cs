using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TrialFlow.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class QualityControl : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "StudyDay",
                table: "Studies",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "QcRulesetVersions",
                columns: table => new
                {
                    Id = table.Column<Guid>(nullable: false),
                    RulesetName = table.Column<string>(maxLength: 64, nullable: false),
                    Number = table.Column<int>(nullable: false),
                    Content = table.Column<string>(nullable: false),
                    ContentSha256 = table.Column<string>(maxLength: 64, nullable: false),
                    PublishedBy = table.Column<string>(maxLength: 256, nullable: false),
                    PublishedAt = table.Column<DateTime>(nullable: false),
                    Reason = table.Column<string>(maxLength: 1024, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QcRulesetVersions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "QcResults",
                columns: table => new
                {
                    Id = table.Column<Guid>(nullable: false),
                    StudyId = table.Column<Guid>(nullable: false),
                    SiteId = table.Column<Guid>(nullable: false),
                    RulesetVersionId = table.Column<Guid>(nullable: false),
                    RulesetName = table.Column<string>(maxLength: 64, nullable: false),
                    RulesetNumber = table.Column<int>(nullable: false),
                    RulesetSha256 = table.Column<string>(maxLength: 64, nullable: false),
                    ProtocolName = table.Column<string>(maxLength: 128, nullable: false),
                    ProtocolSha256 = table.Column<string>(maxLength: 64, nullable: false),
                    RanAt = table.Column<DateTime>(nullable: false),
                    Trigger = table.Column<string>(maxLength: 32, nullable: false),
                    Outcome = table.Column<string>(maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QcResults", x => x.Id);
                    table.ForeignKey(
                        name: "FK_QcResults_QcRulesetVersions_RulesetVersionId",
                        column: x => x.RulesetVersionId,
                        principalTable: "QcRulesetVersions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_QcResults_Sites_SiteId",
                        column: x => x.SiteId,
                        principalTable: "Sites",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_QcResults_Studies_StudyId",
                        column: x => x.StudyId,
                        principalTable: "Studies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "QcFindings",
                columns: table => new
                {
                    Id = table.Column<Guid>(nullable: false),
                    ResultId = table.Column<Guid>(nullable: false),
                    SiteId = table.Column<Guid>(nullable: false),
                    RuleId = table.Column<string>(maxLength: 64, nullable: false),
                    Severity = table.Column<string>(maxLength: 32, nullable: false),
                    Message = table.Column<string>(maxLength: 1024, nullable: false),
                    SeriesInstanceUid = table.Column<string>(maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QcFindings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_QcFindings_QcResults_ResultId",
                        column: x => x.ResultId,
                        principalTable: "QcResults",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_QcFindings_ResultId",
                table: "QcFindings",
                column: "ResultId");

            migrationBuilder.CreateIndex(
                name: "IX_QcFindings_SiteId_RuleId",
                table: "QcFindings",
                columns: new[] { "SiteId", "RuleId" });

            migrationBuilder.CreateIndex(
                name: "IX_QcResults_RulesetVersionId",
                table: "QcResults",
                column: "RulesetVersionId");

            migrationBuilder.CreateIndex(
                name: "IX_QcResults_SiteId_RanAt",
                table: "QcResults",
                columns: new[] { "SiteId", "RanAt" });

            migrationBuilder.CreateIndex(
                name: "IX_QcResults_StudyId_RulesetVersionId_ProtocolSha256",
                table: "QcResults",
                columns: new[] { "StudyId", "RulesetVersionId", "ProtocolSha256" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_QcRulesetVersions_RulesetName_Number",
                table: "QcRulesetVersions",
                columns: new[] { "RulesetName", "Number" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "QcFindings");

            migrationBuilder.DropTable(
                name: "QcResults");

            migrationBuilder.DropTable(
                name: "QcRulesetVersions");

            migrationBuilder.DropColumn(
                name: "StudyDay",
                table: "Studies");
        }
    }
}
