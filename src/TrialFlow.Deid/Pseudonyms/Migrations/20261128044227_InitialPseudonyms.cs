using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TrialFlow.Deid.Pseudonyms.Migrations
{
    /// <inheritdoc />
    public partial class InitialPseudonyms : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "PatientLinks",
                columns: table => new
                {
                    Id = table.Column<long>(nullable: false)
                        .Annotation("Sqlite:Autoincrement", true)
                        .Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    SitePatientKey = table.Column<string>(maxLength: 64, nullable: false),
                    SubjectId = table.Column<string>(maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PatientLinks", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "StudyPatientLinks",
                columns: table => new
                {
                    Id = table.Column<long>(nullable: false)
                        .Annotation("Sqlite:Autoincrement", true)
                        .Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    StudyKey = table.Column<string>(maxLength: 64, nullable: false),
                    SitePatientKey = table.Column<string>(maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_StudyPatientLinks", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SubjectDateOffsets",
                columns: table => new
                {
                    Id = table.Column<long>(nullable: false)
                        .Annotation("Sqlite:Autoincrement", true)
                        .Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    SubjectKey = table.Column<string>(maxLength: 64, nullable: false),
                    OffsetDays = table.Column<int>(nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SubjectDateOffsets", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "UidPseudonyms",
                columns: table => new
                {
                    Id = table.Column<long>(nullable: false)
                        .Annotation("Sqlite:Autoincrement", true)
                        .Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    SourceKey = table.Column<string>(maxLength: 64, nullable: false),
                    Uid = table.Column<string>(maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UidPseudonyms", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PatientLinks_SitePatientKey",
                table: "PatientLinks",
                column: "SitePatientKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_StudyPatientLinks_StudyKey",
                table: "StudyPatientLinks",
                column: "StudyKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SubjectDateOffsets_SubjectKey",
                table: "SubjectDateOffsets",
                column: "SubjectKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_UidPseudonyms_SourceKey",
                table: "UidPseudonyms",
                column: "SourceKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_UidPseudonyms_Uid",
                table: "UidPseudonyms",
                column: "Uid",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PatientLinks");

            migrationBuilder.DropTable(
                name: "StudyPatientLinks");

            migrationBuilder.DropTable(
                name: "SubjectDateOffsets");

            migrationBuilder.DropTable(
                name: "UidPseudonyms");
        }
    }
}
