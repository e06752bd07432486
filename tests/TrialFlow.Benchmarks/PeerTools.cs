using System.Net;
using System.Net.Sockets;

namespace TrialFlow.Benchmarks;

/// <summary>Starting the peers a benchmark measures against (dcmtk's tools), always with TCP_NODELAY, without which dcmtk crawls.</summary>
internal static class PeerTools
{
    public static Process Start(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
            start.ArgumentList.Add(a);
        start.Environment["TCP_NODELAY"] = "1";
        return Process.Start(start) ?? throw new InvalidOperationException($"{tool} is not installed (Debian package dcmtk)");
    }

    /// <summary>Runs a tool to its end; throws with its error output when it fails.</summary>
    public static async Task RunAsync(string tool, params string[] args)
    {
        using var process = Start(tool, args);
        var errors = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{tool} exited {process.ExitCode}: {await errors}");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
