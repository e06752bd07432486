using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TrialFlow.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class SiteActivation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "DeidProfile",
                table: "Sites",
                maxLength: 128,
                nullable: true);

            // Every site that existed before the lifecycle was receiving data: it is Active (new sites start Planned).
            migrationBuilder.AddColumn<string>(
                name: "Status",
                table: "Sites",
                maxLength: 16,
                nullable: false,
                defaultValue: "Active");

            migrationBuilder.CreateTable(
                name: "ChecklistEntries",
                columns: table => new
                {
                    Id = table.Column<Guid>(nullable: false),
                    TrialId = table.Column<Guid>(nullable: false),
                    SiteId = table.Column<Guid>(nullable: false),
                    ItemKey = table.Column<string>(maxLength: 64, nullable: false),
                    UserName = table.Column<string>(maxLength: 256, nullable: true),
                    Evidence = table.Column<string>(maxLength: 2000, nullable: false),
                    DoneBy = table.Column<string>(maxLength: 256, nullable: false),
                    DoneAt = table.Column<DateTime>(nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ChecklistEntries", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ChecklistEntries_Sites_SiteId",
                        column: x => x.SiteId,
                        principalTable: "Sites",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SiteStatusChanges",
                columns: table => new
                {
                    Id = table.Column<Guid>(nullable: false),
                    SiteId = table.Column<Guid>(nullable: false),
                    From = table.Column<string>(maxLength: 16, nullable: false),
                    To = table.Column<string>(maxLength: 16, nullable: false),
                    Reason = table.Column<string>(maxLength: 1000, nullable: false),
                    At = table.Column<DateTime>(nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SiteStatusChanges", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SiteStatusChanges_Sites_SiteId",
                        column: x => x.SiteId,
                        principalTable: "Sites",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ChecklistEntries_SiteId_ItemKey",
                table: "ChecklistEntries",
                columns: new[] { "SiteId", "ItemKey" });

            migrationBuilder.CreateIndex(
                name: "IX_SiteStatusChanges_SiteId_At",
                table: "SiteStatusChanges",
                columns: new[] { "SiteId", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ChecklistEntries");

            migrationBuilder.DropTable(
                name: "SiteStatusChanges");

            // SQLite drops the columns in place (3.35+): EF's DropColumn rebuilds the table with foreign keys off, which
            // cannot run inside the migration's transaction.
            if (migrationBuilder.IsSqlite())
            {
                migrationBuilder.Sql("""ALTER TABLE "Sites" DROP COLUMN "DeidProfile";""");
                migrationBuilder.Sql("""ALTER TABLE "Sites" DROP COLUMN "Status";""");
            }
            else
            {
                migrationBuilder.DropColumn(
                    name: "DeidProfile",
                    table: "Sites");

                migrationBuilder.DropColumn(
                    name: "Status",
                    table: "Sites");
            }
        }
    }
}
