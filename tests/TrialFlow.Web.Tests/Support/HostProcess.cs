using System.Net.Sockets;

namespace TrialFlow.Web.Tests.Support;

/// <summary>
/// The TrialFlow host as a separate process (the built TrialFlow.Web.dll beside the tests), so a test can kill it the
/// way a power cut or the OOM killer would, and start it again on the same data folder.
/// </summary>
public sealed class HostProcess : IDisposable
{
    private readonly Process _process;

    private HostProcess(Process process, int dicomPort)
    {
        _process = process;
        DicomPort = dicomPort;
    }

    public int DicomPort { get; }

    /// <summary>
    /// Starts the host on <paramref name="dataDirectory"/> with extra <paramref name="settings"/> (configuration keys as
    /// environment variables, e.g. <c>TrialFlow__Dicom__Tls__CertificatePath</c>) and waits until its SCP answers a
    /// C-ECHO from <paramref name="callingAeTitle"/> (over TLS when <paramref name="tls"/> is given).
    /// </summary>
    public static async Task<HostProcess> StartAsync(string dataDirectory, string callingAeTitle, IReadOnlyDictionary<string, string>? settings = null, DicomClientTlsOptions? tls = null)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "TrialFlow.Web.dll"));
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["TrialFlow__DataDirectory"] = dataDirectory;
        start.Environment["TrialFlow__Dicom__Port"] = port.ToString();
        start.Environment["TrialFlow__Dicom__BindAddress"] = "127.0.0.1";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            start.Environment[key] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the TrialFlow host");
        // Drain the output so a chatty host never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var host = new HostProcess(process, port);
        var client = new DicomClient("127.0.0.1", port, new DicomClientOptions { CallingAeTitle = callingAeTitle, CalledAeTitle = "TRIALFLOW", ConnectTimeout = TimeSpan.FromSeconds(2), Tls = tls });
        // A whole process starting (JIT, migrations, the demo seed) beside other test assemblies on two cores is slow, not
        // broken: under a load average of 50 one took over 120 s. The Web tests' bound, but at least 5 minutes here.
        var deadline = DateTime.UtcNow + (Browsers.Timeout > TimeSpan.FromMinutes(5) ? Browsers.Timeout : TimeSpan.FromMinutes(5));
        while (true)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"the TrialFlow host exited with {process.ExitCode} while starting");
            try
            {
                if ((await client.EchoAsync()).IsSuccess)
                    return host;
            }
            catch (DicomNetworkException) when (DateTime.UtcNow < deadline)
            {
            }
            await Task.Delay(200);
        }
    }

    /// <summary>Kills the process at once: no shutdown, no flushing, no disposal.</summary>
    public void Kill()
    {
        if (_process.HasExited)
            return;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>
/// Tests that start the host as a process of its own push it hard (a 1,000-instance C-STORE push): they run alone,
/// after the parallel collections, and not beside the browser collections (which run alone too), so neither starves the other.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HostProcessCollection
{
    public const string Name = "host processes";
}
