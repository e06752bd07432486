namespace TrialFlow.Activation.Service;

/// <summary>No such site, or not one the caller may see (the same to them).</summary>
public sealed class SiteNotFoundException(Guid siteId) : Exception($"Site {siteId} was not found.");
