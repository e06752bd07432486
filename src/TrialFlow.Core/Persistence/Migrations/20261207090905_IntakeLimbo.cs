using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TrialFlow.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class IntakeLimbo : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "PatientIdHint",
                table: "QuarantineItems",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SeriesKey",
                table: "QuarantineItems",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "SeriesNumber",
                table: "QuarantineItems",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "StudyKey",
                table: "QuarantineItems",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "StaffNotifications",
                columns: table => new
                {
                    Id = table.Column<Guid>(nullable: false),
                    TrialId = table.Column<Guid>(nullable: false),
                    SiteId = table.Column<Guid>(nullable: false),
                    RecipientRole = table.Column<string>(maxLength: 64, nullable: false),
                    Title = table.Column<string>(maxLength: 200, nullable: false),
                    Message = table.Column<string>(maxLength: 2000, nullable: false),
                    Link = table.Column<string>(maxLength: 256, nullable: true),
                    CreatedAt = table.Column<DateTime>(nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_StaffNotifications", x => x.Id);
                    table.ForeignKey(
                        name: "FK_StaffNotifications_Sites_SiteId",
                        column: x => x.SiteId,
                        principalTable: "Sites",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_StaffNotifications_RecipientRole_CreatedAt",
                table: "StaffNotifications",
                columns: new[] { "RecipientRole", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_StaffNotifications_SiteId",
                table: "StaffNotifications",
                column: "SiteId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "StaffNotifications");

            migrationBuilder.DropColumn(
                name: "PatientIdHint",
                table: "QuarantineItems");

            migrationBuilder.DropColumn(
                name: "SeriesKey",
                table: "QuarantineItems");

            migrationBuilder.DropColumn(
                name: "SeriesNumber",
                table: "QuarantineItems");

            migrationBuilder.DropColumn(
                name: "StudyKey",
                table: "QuarantineItems");
        }
    }
}
