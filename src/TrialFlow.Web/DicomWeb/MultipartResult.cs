using System.Text;

namespace TrialFlow.Web.DicomWeb;

/// <summary>Streams parts as multipart/related (PS3.18 8.7.3.3) with the given part type.</summary>
internal sealed class MultipartResult(string partType, string? transferSyntax, IReadOnlyList<Func<Stream>> parts) : IResult
{
    public async Task ExecuteAsync(HttpContext context)
    {
        var boundary = "trialflow-" + Guid.NewGuid().ToString("N");
        var syntax = transferSyntax is null ? "" : $"; transfer-syntax={transferSyntax}";
        context.Response.ContentType = $"multipart/related; type=\"{partType}\"; boundary={boundary}";
        var body = context.Response.Body;
        foreach (var open in parts)
        {
            await body.WriteAsync(Encoding.ASCII.GetBytes($"--{boundary}\r\nContent-Type: {partType}{syntax}\r\n\r\n"), context.RequestAborted);
            await using (var part = open())
                await part.CopyToAsync(body, context.RequestAborted);
            await body.WriteAsync("\r\n"u8.ToArray(), context.RequestAborted);
        }

        await body.WriteAsync(Encoding.ASCII.GetBytes($"--{boundary}--\r\n"), context.RequestAborted);
    }
}
