namespace TrialFlow.Web.Security;

/// <summary>Which credential a request carries: an API client's bearer token or, failing that, the browser's cookie.</summary>
internal static class Credentials
{
    public static bool CarriesBearerToken(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);
}
