using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;

namespace TrialFlow.Core.Persistence.Migrations;

/// <summary>
/// Makes the audit table append-only in the database itself, so not even SQL run beside the application can
/// quietly change history: UPDATE, DELETE (and on PostgreSQL TRUNCATE) are refused by triggers.
/// </summary>
internal static class AuditTableGuard
{
    public static void Create(MigrationBuilder migrationBuilder)
    {
        if (migrationBuilder.IsSqlite())
        {
            migrationBuilder.Sql("""
                CREATE TRIGGER "AuditEvents_refuse_update" BEFORE UPDATE ON "AuditEvents"
                BEGIN SELECT RAISE(ABORT, 'AuditEvents is append-only: UPDATE refused'); END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "AuditEvents_refuse_delete" BEFORE DELETE ON "AuditEvents"
                BEGIN SELECT RAISE(ABORT, 'AuditEvents is append-only: DELETE refused'); END;
                """);
        }
        else if (migrationBuilder.IsNpgsql())
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION trialflow_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'AuditEvents is append-only: % refused', TG_OP;
                END $$;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "AuditEvents_refuse_change" BEFORE UPDATE OR DELETE ON "AuditEvents"
                FOR EACH ROW EXECUTE FUNCTION trialflow_audit_append_only();
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "AuditEvents_refuse_truncate" BEFORE TRUNCATE ON "AuditEvents"
                FOR EACH STATEMENT EXECUTE FUNCTION trialflow_audit_append_only();
                """);
        }
        else
        {
            throw new NotSupportedException($"No append-only guard for database provider {migrationBuilder.ActiveProvider}.");
        }
    }

    public static void Drop(MigrationBuilder migrationBuilder)
    {
        if (migrationBuilder.IsSqlite())
        {
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "AuditEvents_refuse_update";""");
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "AuditEvents_refuse_delete";""");
        }
        else if (migrationBuilder.IsNpgsql())
        {
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "AuditEvents_refuse_change" ON "AuditEvents";""");
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "AuditEvents_refuse_truncate" ON "AuditEvents";""");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS trialflow_audit_append_only();");
        }
    }
}
