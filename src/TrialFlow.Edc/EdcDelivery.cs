using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace TrialFlow.Edc;

/// <summary>Hands one ODM document to the EDC; throws <see cref="EdcDeliveryException"/> when it is not accepted.</summary>
public interface IEdcDelivery
{
    /// <returns>Where it went (file path or URL).</returns>
    Task<string> DeliverAsync(string name, byte[] odm, string idempotencyKey, CancellationToken cancellationToken);
}

/// <summary>
/// Writes into a drop folder: a temporary file, flushed, then renamed, so the EDC never picks up half a file. The name
/// carries a hash of the idempotency key: a re-run rewrites the same file instead of adding a second one.
/// </summary>
public sealed class FileDropDelivery(string folder) : IEdcDelivery
{
    public async Task<string> DeliverAsync(string name, byte[] odm, string idempotencyKey, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder, $"{name}_{KeyHash(idempotencyKey)}.xml");
        var temporary = path + ".partial";
        try
        {
            Directory.CreateDirectory(folder);
            await using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                await file.WriteAsync(odm, cancellationToken);
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
            return path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EdcDeliveryException(folder, $"could not write {path}: {e.Message}", e);
        }
    }

    internal static string KeyHash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16];
}

/// <summary>
/// POSTs the ODM to the EDC's endpoint with an <c>Idempotency-Key</c> header, so an endpoint that honours it ignores
/// the second delivery of a step that ran twice. Anything but a 2xx answer is a failed delivery.
/// </summary>
public sealed class HttpPostDelivery(HttpClient http, Uri endpoint, string? bearerToken) : IEdcDelivery
{
    public async Task<string> DeliverAsync(string name, byte[] odm, string idempotencyKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(odm) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/xml") { CharSet = "utf-8" };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        if (!string.IsNullOrEmpty(bearerToken))
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new EdcDeliveryException(endpoint.ToString(), $"{name} was not delivered: {e.Message}", e);
        }
        using (response)
        {
            if (response.IsSuccessStatusCode)
                return endpoint.ToString();
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new EdcDeliveryException(endpoint.ToString(), $"{name} was refused with HTTP {(int)response.StatusCode} {response.ReasonPhrase}: {(body.Length > 300 ? body[..300] : body)}");
        }
    }
}
