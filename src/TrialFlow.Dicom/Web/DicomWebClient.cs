using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using TrialFlow.Dicom.Json;

namespace TrialFlow.Dicom.Web;

/// <summary>A DICOMweb server refused or failed a request; the status and the start of its answer say why.</summary>
public sealed class DicomWebException(string message, HttpStatusCode? status = null, Exception? inner = null) : DicomException(message, inner)
{
    public HttpStatusCode? Status { get; } = status;
}

/// <summary>
/// A DICOMweb client (PS3.18) for a site PACS that speaks it: QIDO-RS searches for studies, series and instances, and
/// WADO-RS retrieval of a study or series as Part 10 instances, streamed one at a time. The <see cref="HttpClient"/>
/// carries the PACS's address and credentials (a base address ending in the service root, e.g. ".../dicom-web/").
/// </summary>
public sealed class DicomWebClient(HttpClient http)
{
    /// <summary>QIDO-RS /studies with the given query parameters (e.g. PatientID, StudyDate=20260101-20261231, ModalitiesInStudy).</summary>
    public Task<IReadOnlyList<DicomDataset>> SearchStudiesAsync(IReadOnlyDictionary<string, string>? query = null, CancellationToken cancellationToken = default) =>
        SearchAsync("studies", query, cancellationToken);

    /// <summary>QIDO-RS /studies/{study}/series.</summary>
    public Task<IReadOnlyList<DicomDataset>> SearchSeriesAsync(string studyInstanceUid, IReadOnlyDictionary<string, string>? query = null, CancellationToken cancellationToken = default) =>
        SearchAsync($"studies/{Uid(studyInstanceUid)}/series", query, cancellationToken);

    /// <summary>QIDO-RS /studies/{study}/series/{series}/instances.</summary>
    public Task<IReadOnlyList<DicomDataset>> SearchInstancesAsync(string studyInstanceUid, string seriesInstanceUid, CancellationToken cancellationToken = default) =>
        SearchAsync($"studies/{Uid(studyInstanceUid)}/series/{Uid(seriesInstanceUid)}/instances", null, cancellationToken);

    /// <summary>
    /// WADO-RS: every instance of a study (or of one series) as a Part 10 file, handed to <paramref name="onInstance"/> as it
    /// arrives; the number of instances. A response cut short is an error after the instances that did arrive.
    /// </summary>
    public async Task<int> RetrieveAsync(string studyInstanceUid, string? seriesInstanceUid, Func<ReadOnlyMemory<byte>, CancellationToken, Task> onInstance,
        CancellationToken cancellationToken = default)
    {
        var path = seriesInstanceUid is null ? $"studies/{Uid(studyInstanceUid)}" : $"studies/{Uid(studyInstanceUid)}/series/{Uid(seriesInstanceUid)}";
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        // Any transfer syntax the PACS holds: the instance arrives as stored, and intake reads every syntax it keeps.
        request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse("multipart/related; type=\"application/dicom\"; transfer-syntax=*"));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, path, cancellationToken).ConfigureAwait(false);
        var boundary = response.Content.Headers.ContentType?.Parameters.FirstOrDefault(p => p.Name.Equals("boundary", StringComparison.OrdinalIgnoreCase))?.Value?.Trim('"')
            ?? throw new DicomWebException($"GET {path}: the answer is {response.Content.Headers.ContentType}, not multipart/related with a boundary");
        var reader = new MultipartRelatedReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), boundary);
        var count = 0;
        while (await reader.ReadPartAsync(cancellationToken).ConfigureAwait(false) is { } part)
        {
            await onInstance(part.Body, cancellationToken).ConfigureAwait(false);
            count++;
        }
        return count;
    }

    private async Task<IReadOnlyList<DicomDataset>> SearchAsync(string resource, IReadOnlyDictionary<string, string>? query, CancellationToken cancellationToken)
    {
        var path = query is { Count: > 0 }
            ? $"{resource}?{string.Join('&', query.Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value)}"))}"
            : resource;
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/dicom+json"));
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NoContent)
            return [];
        await EnsureSuccessAsync(response, path, cancellationToken).ConfigureAwait(false);
        var json = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
                throw new DicomWebException($"GET {path}: the answer is not a JSON array of datasets");
            return document.RootElement.EnumerateArray().Select(e => DicomJsonReader.Read(e.GetRawText())).ToList();
        }
        catch (Exception ex) when (ex is JsonException or DicomValueException)
        {
            throw new DicomWebException($"GET {path}: the answer is not DICOM JSON ({ex.Message})", response.StatusCode, ex);
        }
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string path, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
            return;
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        throw new DicomWebException($"GET {path}: {(int)response.StatusCode} {response.ReasonPhrase}{(body.Length > 0 ? $": {body[..Math.Min(300, body.Length)]}" : "")}", response.StatusCode);
    }

    // A UID goes into a path as it is; anything else would be a request for something other than what was asked.
    private static string Uid(string uid) =>
        uid.Length is > 0 and <= 64 && uid.All(c => char.IsAsciiDigit(c) || c == '.') ? uid : throw new ArgumentException($"'{uid}' is not a UID", nameof(uid));
}
