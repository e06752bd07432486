using TrialFlow.Core.Access;
using TrialFlow.Core.Audit.Anchoring;
using TrialFlow.Core.Persistence;

namespace TrialFlow.Cli.Commands;

/// <summary>
/// <c>trialflow audit rotate-key</c>: adds a new current key to the data folder's audit key ring (old keys stay, so the
/// events they hashed keep verifying) and checkpoints the chain head under the new key.
/// </summary>
internal sealed class AuditRotateKeyCommand : ICliCommand
{
    public IReadOnlyList<string> Verb { get; } = ["audit", "rotate-key"];

    public string Usage => "audit rotate-key [--data DIR]  start a new audit chain key; restart the web host to use it";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CliConsole console, CancellationToken cancellationToken)
    {
        var options = new CliArguments(args, ["--data"], []);
        if (options.Positional.Count > 0)
            throw new CliUsageException($"unexpected argument '{options.Positional[0]}'.");

        var database = CliDatabase.Options(options["--data"]);
        if (database.Audit.ChainKey is not null)
            throw new CliUsageException("the audit chain key is configured (TrialFlow:Audit:ChainKey): set a new one there and add the old one to TrialFlow:Audit:RetiredChainKeys.");
        var previous = database.AuditAnchor.Keys.Current.Id;
        var keyId = AuditChainKeyRing.Rotate(database.DataDirectory);

        // Options read afresh see the new ring; the checkpoint ties the head as it was to the new key.
        var rotated = CliDatabase.Options(options["--data"]);
        await using var db = DatabaseServiceCollectionExtensions.CreateContext(rotated, Actor.System("cli"));
        var checkpoint = await rotated.AuditAnchor.CheckpointHeadAsync(db, TimeProvider.System, cancellationToken);
        console.Out.WriteLine($"audit chain key {keyId} is current (was {previous}); {AuditChainKeyRing.PathIn(database.DataDirectory)} keeps both." +
            (checkpoint is null ? "" : $" Checkpointed head #{checkpoint.Sequence}.") + " Restart the web host to use the new key.");
        return 0;
    }
}
