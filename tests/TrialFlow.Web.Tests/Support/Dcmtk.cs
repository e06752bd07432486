namespace TrialFlow.Web.Tests.Support;

/// <summary>Runs a dcmtk tool (storescu, echoscu…) as a site would, with TCP_NODELAY=1 (Debian's dcmtk crawls on loopback without it).</summary>
public static class Dcmtk
{
    public static async Task<(int Exit, string Output)> RunAsync(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
            start.ArgumentList.Add(a);
        start.Environment["TCP_NODELAY"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} is not installed (Debian package dcmtk)");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
