using Microsoft.AspNetCore.DataProtection;
using TrialFlow.Retrieval.Pacs;

namespace TrialFlow.Web.Retrieval;

/// <summary>A site PACS's DICOMweb password, protected by the host's data-protection key ring (shared by every node).</summary>
internal sealed class DataProtectedPacsSecrets(IDataProtectionProvider provider) : IPacsSecrets
{
    private readonly IDataProtector _protector = provider.CreateProtector("TrialFlow.Retrieval.PacsPassword");

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);
}
