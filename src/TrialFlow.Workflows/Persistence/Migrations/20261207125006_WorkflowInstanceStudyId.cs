using System;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TrialFlow.Workflows.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class WorkflowInstanceStudyId : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "StudyId",
                table: "WfInstances",
                nullable: true);

            // Instances started before the column: their study is the part of "definition:study" after the definition.
            if (migrationBuilder.IsSqlite())
                migrationBuilder.Sql("""
                    UPDATE "WfInstances" SET "StudyId" = upper(substr("Reference", length("DefinitionId") + 2))
                    WHERE "Reference" IS NOT NULL AND length("Reference") = length("DefinitionId") + 37;
                    """);
            else if (migrationBuilder.IsNpgsql())
                migrationBuilder.Sql("""
                    UPDATE "WfInstances" SET "StudyId" = CAST(substr("Reference", length("DefinitionId") + 2) AS uuid)
                    WHERE "Reference" IS NOT NULL AND length("Reference") = length("DefinitionId") + 37;
                    """);

            migrationBuilder.CreateIndex(
                name: "IX_WfInstances_StudyId_DefinitionId",
                table: "WfInstances",
                columns: new[] { "StudyId", "DefinitionId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_WfInstances_StudyId_DefinitionId",
                table: "WfInstances");

            migrationBuilder.DropColumn(
                name: "StudyId",
                table: "WfInstances");
        }
    }
}
