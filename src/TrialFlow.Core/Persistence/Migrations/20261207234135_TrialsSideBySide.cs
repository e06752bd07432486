using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TrialFlow.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class TrialsSideBySide : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ActivationChecklist",
                table: "Trials",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DeidProfile",
                table: "Trials",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ProtocolRequirements",
                table: "Trials",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Template",
                table: "Trials",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "SelectedTrialId",
                table: "AspNetUsers",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "TrialMemberships",
                columns: table => new
                {
                    UserId = table.Column<string>(nullable: false),
                    TrialId = table.Column<Guid>(nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TrialMemberships", x => new { x.UserId, x.TrialId });
                    table.ForeignKey(
                        name: "FK_TrialMemberships_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_TrialMemberships_Trials_TrialId",
                        column: x => x.TrialId,
                        principalTable: "Trials",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_TrialMemberships_TrialId",
                table: "TrialMemberships",
                column: "TrialId");

            // Before trial memberships every trial-wide role saw every trial: existing accounts keep what they saw, and an
            // administrator narrows them afterwards. New accounts start on the trials they are given.
            migrationBuilder.Sql("""
                INSERT INTO "TrialMemberships" ("UserId", "TrialId")
                SELECT u."Id", t."Id" FROM "AspNetUsers" u CROSS JOIN "Trials" t;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "TrialMemberships");

            // SQLite drops a column in place; EF's rebuild of a table would trip the foreign keys that point at it.
            foreach (var (table, column) in new[]
                     {
                         ("Trials", "ActivationChecklist"), ("Trials", "DeidProfile"), ("Trials", "ProtocolRequirements"), ("Trials", "Template"),
                         ("AspNetUsers", "SelectedTrialId"),
                     })
                if (migrationBuilder.IsSqlite())
                    migrationBuilder.Sql($"""ALTER TABLE "{table}" DROP COLUMN "{column}";""");
                else
                    migrationBuilder.DropColumn(name: column, table: table);
        }
    }
}
