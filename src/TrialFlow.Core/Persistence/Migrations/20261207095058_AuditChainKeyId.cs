using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TrialFlow.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class AuditChainKeyId : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "KeyId",
                table: "AuditEvents",
                maxLength: 16,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "KeyId",
                table: "AuditEvents");
        }
    }
}
