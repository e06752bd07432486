namespace TrialFlow.Web.Security;

/// <summary>
/// Refuses a state-changing request (POST, PUT, PATCH, DELETE) that a browser sent on behalf of another site: the
/// cookie travels with it whatever page made it, so SameSite alone is not the defence (cross-site request forgery).
/// The request's Origin, or failing that its Referer, must be this host's own; a signed-in browser request that
/// carries neither is refused too, since browsers send Origin on every POST. Bearer-token clients are not
/// concerned: a foreign page cannot make a browser attach the token.
/// </summary>
internal sealed class SameOriginMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!IsStateChanging(request.Method) || Credentials.CarriesBearerToken(request))
        {
            await next(context);
            return;
        }

        var source = SourceOrigin(request);
        var refusal = source switch
        {
            // Anonymous callers without a browser (the CLI asking for a token) send neither header and carry no cookie.
            null when context.User.Identity?.IsAuthenticated == true =>
                $"A signed-in browser request to {request.Method} {request.Path} carried neither Origin nor Referer, so it cannot be shown to come from TrialFlow's own pages.",
            null => null,
            _ when !IsOwnOrigin(source, request) =>
                $"{request.Method} {request.Path} came from {source}, not from TrialFlow's own pages; requests from other sites are refused (cross-site request forgery).",
            _ => null,
        };
        if (refusal is not null)
        {
            await TypedResults.Problem(title: "Cross-site request refused", detail: refusal, statusCode: StatusCodes.Status403Forbidden)
                .ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    private static bool IsStateChanging(string method) =>
        HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method);

    /// <summary>The Origin header as sent (a sandboxed page sends "null"), or the origin part of the Referer.</summary>
    private static string? SourceOrigin(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0)
            return origin;
        var referer = request.Headers.Referer.ToString();
        if (referer.Length == 0)
            return null;
        return Uri.TryCreate(referer, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) : referer;
    }

    private static bool IsOwnOrigin(string source, HttpRequest request) =>
        Uri.TryCreate(source, UriKind.Absolute, out var from)
        && Uri.TryCreate($"{request.Scheme}://{request.Host}", UriKind.Absolute, out var own)
        // Scheme, host and port, with default ports made explicit: http://h equals http://h:80.
        && Uri.Compare(from, own, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;
}
