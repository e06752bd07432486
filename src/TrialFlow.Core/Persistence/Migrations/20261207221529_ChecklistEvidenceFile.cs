using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TrialFlow.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ChecklistEvidenceFile : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // SQLite drops the columns in place (3.35+): EF's DropColumn rebuilds the table with foreign keys off, which
            // cannot run inside the migration's transaction.
            string[] columns = ["EvidenceFileContentType", "EvidenceFileName", "EvidenceFileSha256", "EvidenceFileSize"];
            foreach (var column in columns)
                if (migrationBuilder.IsSqlite())
                    migrationBuilder.Sql($"""ALTER TABLE "ChecklistEntries" DROP COLUMN "{column}";""");
                else
                    migrationBuilder.DropColumn(name: column, table: "ChecklistEntries");
        }
    }
}
