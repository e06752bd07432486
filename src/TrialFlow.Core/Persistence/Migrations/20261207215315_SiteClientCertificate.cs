using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TrialFlow.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class SiteClientCertificate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ClientCertificateSha256",
                table: "Sites",
                maxLength: 64,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // SQLite drops the column in place (3.35+): EF's DropColumn rebuilds the table with foreign keys off, which
            // cannot run inside the migration's transaction.
            if (migrationBuilder.IsSqlite())
                migrationBuilder.Sql("""ALTER TABLE "Sites" DROP COLUMN "ClientCertificateSha256";""");
            else
                migrationBuilder.DropColumn(
                    name: "ClientCertificateSha256",
                    table: "Sites");
        }
    }
}
