using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TrialFlow.Workflows.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class WorkflowAppliesFrom : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "AppliesFrom",
                table: "WfDefinitions",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // SQLite (3.35+) drops a column in place; EF's table rebuild is not needed for a plain nullable column.
            if (migrationBuilder.IsSqlite())
                migrationBuilder.Sql("ALTER TABLE \"WfDefinitions\" DROP COLUMN \"AppliesFrom\";");
            else
                migrationBuilder.DropColumn(
                    name: "AppliesFrom",
                    table: "WfDefinitions");
        }
    }
}
