using TrialFlow.Cli.Commands;

namespace TrialFlow.Cli;

/// <summary>The closed list of commands the CLI offers.</summary>
public static class CommandCatalog
{
    public static IReadOnlyList<ICliCommand> All { get; } =
    [
        new AuditVerifyCommand(),
        new AuditRotateKeyCommand(),
        new DicomDumpCommand(),
        new DeidCommand(),
        new UploadCommand(),
        new PullCommand(),
    ];
}
