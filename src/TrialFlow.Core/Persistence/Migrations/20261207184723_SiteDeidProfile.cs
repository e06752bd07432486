using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TrialFlow.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class SiteDeidProfile : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "DeidProfile",
                table: "Sites",
                maxLength: 128,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // SQLite drops the column in place (3.35+): EF's DropColumn rebuilds the table with foreign keys off, which
            // cannot run inside the migration's transaction.
            if (migrationBuilder.IsSqlite())
                migrationBuilder.Sql("""ALTER TABLE "Sites" DROP COLUMN "DeidProfile";""");
            else
                migrationBuilder.DropColumn(
                    name: "DeidProfile",
                    table: "Sites");
        }
    }
}
