using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TrialFlow.Core.Persistence;
using TrialFlow.Deid.Pseudonyms;
using TrialFlow.Dicom.Network;
using TrialFlow.Intake.Channels;
using TrialFlow.Intake.Pipeline;

namespace TrialFlow.Intake;

public static class IntakeServiceCollectionExtensions
{
    /// <summary>
    /// Registers the intake pipeline, its stores and background workers. Relative profile paths resolve against
    /// <paramref name="baseDirectory"/> (where the host ships <c>rulesets/</c>). Profiles load here, so a broken
    /// profile stops the host at start-up with file, line and reason.
    /// </summary>
    public static IServiceCollection AddTrialFlowIntake(this IServiceCollection services, IConfiguration configuration, string baseDirectory)
    {
        var options = IntakeOptions.FromConfiguration(configuration, baseDirectory);
        services.AddSingleton(options);
        services.AddSingleton(new DeidProfileCatalog(options));
        services.AddSingleton(new PseudonymStore(PseudonymStoreOptions.FromConfiguration(configuration)));
        services.AddSingleton<IntakeStores>();
        services.AddSingleton(sp => sp.GetRequiredService<IntakeStores>().Attempts);
        services.AddSingleton<IntakeRefusals>();
        services.AddSingleton<IntakeReceiver>();
        services.AddSingleton<Channels.RetrieveDeliveries>();
        services.AddSingleton<IntakePipeline>();
        services.AddSingleton<StudyCompletion>();
        services.AddSingleton<QuarantineDecisions>();
        services.AddSingleton<Uploads.UploadChunkStore>();
        services.AddHostedService<IntakeWorker>();
        services.AddHostedService<StudyCompletionService>();

        // DICOM push: on by default (port 11112, AE title TRIALFLOW); TrialFlow:Dicom:Enabled=false turns it off.
        var dicom = configuration.GetSection("TrialFlow:Dicom");
        if (dicom.GetValue("Enabled", true))
        {
            var server = new DicomServerOptions();
            dicom.Bind(server);
            server.ArtimTimeout = TimeSpan.FromSeconds(dicom.GetValue("ArtimSeconds", 30));
            server.IdleTimeout = TimeSpan.FromSeconds(dicom.GetValue("IdleSeconds", 60));
            // Sites push qualification scans to a second called AE title of the same SCP.
            server.AdditionalAeTitles.Add(options.QualificationAeTitle);
            // A TLS setting that points nowhere must stop the host, not leave it serving DICOM in the clear or not at all.
            if (server.Tls is { CertificatePath: { } certificate } && !File.Exists(certificate))
                throw new InvalidOperationException($"TrialFlow:Dicom:Tls:CertificatePath: there is no certificate file at '{Path.GetFullPath(certificate)}'.");
            // Over TLS a site may pin its own client certificate (Site.ClientCertificateSha256): the handshake accepts
            // certificates the platform trusts or some site pins; the channel checks it is the calling site's.
            if (server.Tls is { } tls)
                tls.ClientCertificateValidation = new PinnedClientCertificates(DatabaseOptions.FromConfiguration(configuration), TimeProvider.System, tls.RequireClientCertificate).Validate;
            services.AddSingleton(server);
            services.AddSingleton<DicomPushChannel>();
            services.AddSingleton<DicomPushService>();
            services.AddHostedService(sp => sp.GetRequiredService<DicomPushService>());
        }
        return services;
    }
}
