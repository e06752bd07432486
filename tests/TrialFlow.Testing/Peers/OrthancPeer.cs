using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;

namespace TrialFlow.Testing.Peers;

/// <summary>A DICOM node Orthanc knows (DicomModalities): where it sends a C-MOVE, whom it answers a C-FIND.</summary>
public sealed record OrthancModality(string AeTitle, string Host, int Port);

/// <summary>
/// Debian's Orthanc (a real PACS) started for a test with its own configuration, storage and ports in a temporary folder,
/// loaded over its REST API, stopped and removed on dispose. Its log is kept for a failing test's message.
/// </summary>
public sealed class OrthancPeer : IAsyncDisposable
{
    public const string Executable = "/usr/sbin/Orthanc";
    public const string AeTitle = "ORTHANC";

    private readonly Process _process;
    private readonly DirectoryInfo _folder;
    private readonly HttpClient _http;

    private OrthancPeer(Process process, DirectoryInfo folder, int dicomPort, int httpPort)
    {
        _process = process;
        _folder = folder;
        DicomPort = dicomPort;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/"), Timeout = TimeSpan.FromSeconds(60) };
    }

    public int DicomPort { get; }

    /// <summary>The DICOMweb service root (when started with it).</summary>
    public Uri DicomWebRoot => new(_http.BaseAddress!, "dicom-web/");

    public string LogPath => Path.Combine(_folder.FullName, "orthanc.log");

    public const string DicomWebPlugin = "/usr/share/orthanc/plugins/libOrthancDicomWeb.so";

    /// <summary>
    /// Starts Orthanc knowing <paramref name="modalities"/>, with its DICOMweb plugin at /dicom-web/ when
    /// <paramref name="dicomWeb"/>, and waits until its REST API answers.
    /// </summary>
    public static async Task<OrthancPeer> StartAsync(IReadOnlyList<OrthancModality>? modalities = null, bool dicomWeb = false)
    {
        modalities ??= [];
        if (dicomWeb && !File.Exists(DicomWebPlugin))
            throw new InvalidOperationException($"{DicomWebPlugin} is missing: install Debian's orthanc-dicomweb package (.ci/run does).");
        if (!File.Exists(Executable))
            throw new InvalidOperationException($"{Executable} is missing: install Debian's orthanc package (.ci/run does).");
        var folder = Directory.CreateTempSubdirectory("trialflow-orthanc-");
        var (dicomPort, httpPort) = (FreePort(), FreePort());
        var config = new Dictionary<string, object>
        {
            ["Name"] = "TrialFlow test PACS",
            ["StorageDirectory"] = Path.Combine(folder.FullName, "storage"),
            ["IndexDirectory"] = Path.Combine(folder.FullName, "index"),
            ["HttpPort"] = httpPort,
            ["DicomPort"] = dicomPort,
            ["DicomAet"] = AeTitle,
            ["RemoteAccessAllowed"] = false,
            ["AuthenticationEnabled"] = false,
            ["DicomCheckCalledAet"] = true,
            ["Plugins"] = dicomWeb ? new[] { DicomWebPlugin } : Array.Empty<string>(),
            ["DicomWeb"] = new Dictionary<string, object> { ["Enable"] = dicomWeb, ["Root"] = "/dicom-web/" },
            ["DicomModalities"] = modalities.ToDictionary(m => m.AeTitle.ToLowerInvariant(), m => (object)new object[] { m.AeTitle, m.Host, m.Port }),
        };
        var configPath = Path.Combine(folder.FullName, "orthanc.json");
        await File.WriteAllTextAsync(configPath, JsonSerializer.Serialize(config));
        var process = Process.Start(new ProcessStartInfo(Executable, [$"--logfile={Path.Combine(folder.FullName, "orthanc.log")}", configPath])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            // Orthanc's DICOM network layer is dcmtk's, which leaves Nagle's algorithm on unless told (and then crawls).
            Environment = { ["TCP_NODELAY"] = "1" },
        })!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var peer = new OrthancPeer(process, folder, dicomPort, httpPort);
        await peer.WaitUntilReadyAsync();
        return peer;
    }

    /// <summary>Stores one Part 10 object (POST /instances).</summary>
    public async Task UploadAsync(byte[] part10)
    {
        using var content = new ByteArrayContent(part10) { Headers = { ContentType = new MediaTypeHeaderValue("application/dicom") } };
        using var response = await _http.PostAsync("instances", content);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"Orthanc refused an upload: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Deletes a study from the PACS (as if it had been purged after it was planned).</summary>
    public async Task DeleteStudyAsync(string studyInstanceUid)
    {
        using var lookup = await _http.PostAsync("tools/lookup", new StringContent(studyInstanceUid));
        lookup.EnsureSuccessStatusCode();
        using var found = JsonDocument.Parse(await lookup.Content.ReadAsStringAsync());
        foreach (var match in found.RootElement.EnumerateArray().Where(m => m.GetProperty("Type").GetString() == "Study"))
            (await _http.DeleteAsync($"studies/{match.GetProperty("ID").GetString()}")).EnsureSuccessStatusCode();
    }

    /// <summary>The text of Orthanc's log so far, for a failing test's message.</summary>
    public string Log() => File.Exists(LogPath) ? File.ReadAllText(LogPath) : "(no log)";

    private async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"Orthanc exited with {_process.ExitCode} at start:\n{Log()}");
            try
            {
                using var response = await _http.GetAsync("system");
                if (response.StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }

        throw new TimeoutException($"Orthanc did not answer on its REST API within 60 s:\n{Log()}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            _folder.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
