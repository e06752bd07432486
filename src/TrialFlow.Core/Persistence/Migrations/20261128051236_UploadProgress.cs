using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TrialFlow.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class UploadProgress : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "FilesReceived",
                table: "UploadSessions",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "ClientReference",
                table: "IntakeReceipts",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_IntakeReceipts_UploadSessionId",
                table: "IntakeReceipts",
                column: "UploadSessionId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_IntakeReceipts_UploadSessionId",
                table: "IntakeReceipts");

            migrationBuilder.DropColumn(
                name: "FilesReceived",
                table: "UploadSessions");

            migrationBuilder.DropColumn(
                name: "ClientReference",
                table: "IntakeReceipts");
        }
    }
}
