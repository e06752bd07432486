using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace TrialFlow.Dicom.Tests.Network;

/// <summary>One instance as the SCP handed it to the store handler.</summary>
public sealed record ReceivedInstance(DicomStoreRequest Request, byte[] DataSet);

/// <summary>A store handler that keeps every committed dataset in memory, and can be told to fail.</summary>
public sealed class RecordingStoreHandler : IDicomStoreHandler
{
    public ConcurrentQueue<ReceivedInstance> Committed { get; } = new();

    public int Begun;
    public int Discarded;

    /// <summary>Throw this from BeginStoreAsync for instances it matches.</summary>
    public Func<DicomStoreRequest, Exception?> FailOnBegin { get; set; } = _ => null;

    /// <summary>Throw this from CommitAsync for instances it matches.</summary>
    public Func<DicomStoreRequest, Exception?> FailOnCommit { get; set; } = _ => null;

    public ValueTask<IDicomStoreSink> BeginStoreAsync(DicomStoreRequest request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Begun);
        if (FailOnBegin(request) is { } ex) throw ex;
        return ValueTask.FromResult<IDicomStoreSink>(new Sink(this, request));
    }

    private sealed class Sink(RecordingStoreHandler owner, DicomStoreRequest request) : IDicomStoreSink
    {
        private readonly MemoryStream _bytes = new();
        private bool _committed;

        public ValueTask WriteAsync(ReadOnlyMemory<byte> dataSetBytes, CancellationToken cancellationToken)
        {
            _bytes.Write(dataSetBytes.Span);
            return ValueTask.CompletedTask;
        }

        public ValueTask CommitAsync(CancellationToken cancellationToken)
        {
            if (owner.FailOnCommit(request) is { } ex) throw ex;
            owner.Committed.Enqueue(new ReceivedInstance(request, _bytes.ToArray()));
            _committed = true;
            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            if (!_committed) Interlocked.Increment(ref owner.Discarded);
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>A policy that admits a set of calling AE titles and records every request it saw.</summary>
public sealed class SiteRegistryPolicy(params string[] registeredCallingAeTitles) : IDicomAssociationPolicy
{
    public ConcurrentQueue<(DicomAssociationRequest Request, DicomAssociationDecision Decision)> Seen { get; } = new();

    public ValueTask<DicomAssociationDecision> EvaluateAsync(DicomAssociationRequest request, CancellationToken cancellationToken)
    {
        var decision = registeredCallingAeTitles.Contains(request.CallingAeTitle) && IPAddress.IsLoopback(request.RemoteEndPoint.Address)
            ? DicomAssociationDecision.Accept
            : DicomAssociationDecision.RejectCallingAeTitle;
        Seen.Enqueue((request, decision));
        return ValueTask.FromResult(decision);
    }
}

/// <summary>Records how every association ended.</summary>
public sealed class RecordingObserver : IDicomAssociationObserver
{
    public ConcurrentQueue<DicomAssociationSummary> Ended { get; } = new();

    public ValueTask OnAssociationEndedAsync(DicomAssociationSummary summary, CancellationToken cancellationToken)
    {
        Ended.Enqueue(summary);
        return ValueTask.CompletedTask;
    }

    /// <summary>Waits (generously) until <paramref name="count"/> associations have been reported.</summary>
    public async Task<IReadOnlyList<DicomAssociationSummary>> WaitForAsync(int count)
    {
        var clock = Stopwatch.StartNew();
        while (Ended.Count < count)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"only {Ended.Count} of {count} associations reported");
            await Task.Delay(20);
        }
        return [.. Ended];
    }
}

/// <summary>Our SCP on a free loopback port, stopped on dispose.</summary>
public sealed class TestScp : IAsyncDisposable
{
    private TestScp(DicomServer server, RecordingStoreHandler handler, SiteRegistryPolicy policy, RecordingObserver observer)
    {
        Server = server;
        Handler = handler;
        Policy = policy;
        Observer = observer;
    }

    public RecordingObserver Observer { get; }

    public DicomServer Server { get; }
    public RecordingStoreHandler Handler { get; }
    public SiteRegistryPolicy Policy { get; }
    public int Port => Server.LocalEndPoint!.Port;

    public const string AeTitle = "TRIALFLOW";
    public const string SiteAeTitle = "SITE01";

    public static async Task<TestScp> StartAsync(ITestOutputHelper? output = null, Action<DicomServerOptions>? configure = null,
        RecordingStoreHandler? handler = null, TimeProvider? timeProvider = null, params string[] alsoAcceptCallingAeTitles)
    {
        var options = new DicomServerOptions
        {
            BindAddress = "127.0.0.1",
            Port = 0,
            AeTitle = AeTitle,
            ArtimTimeout = TimeSpan.FromSeconds(10),
            IdleTimeout = TimeSpan.FromSeconds(20),
        };
        configure?.Invoke(options);
        handler ??= new RecordingStoreHandler();
        var policy = new SiteRegistryPolicy([SiteAeTitle, "STORESCU", "ECHOSCU", .. alsoAcceptCallingAeTitles]);
        var observer = new RecordingObserver();
        var server = new DicomServer(options, handler, policy, observer, output is null ? null : new TestLogger<DicomServer>(output), timeProvider);
        await server.StartAsync();
        return new TestScp(server, handler, policy, observer);
    }

    public DicomClient Client(Action<DicomClientOptions>? configure = null)
    {
        var options = new DicomClientOptions { CallingAeTitle = SiteAeTitle, CalledAeTitle = AeTitle, ResponseTimeout = TimeSpan.FromSeconds(30) };
        configure?.Invoke(options);
        return new DicomClient("127.0.0.1", Port, options);
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}

/// <summary>Runs dcmtk tools with TCP_NODELAY=1 (STACK-NOTES: without it loopback transfers crawl).</summary>
public static class Dcmtk
{
    public sealed record Result(int ExitCode, string Output);

    public static async Task<Result> RunAsync(string tool, IEnumerable<string> arguments, TimeSpan? timeout = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        start.Environment["TCP_NODELAY"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} did not finish in time");
        }
        return new Result(process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Starts a long-running tool (storescp); the caller kills it.</summary>
    public static Process Start(string tool, IEnumerable<string> arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        start.Environment["TCP_NODELAY"] = "1";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>The storescu option that makes it propose <paramref name="transferSyntaxUid"/> (none for Explicit VR Little Endian).</summary>
    public static string[] ProposeOption(string transferSyntaxUid) => transferSyntaxUid switch
    {
        "1.2.840.10008.1.2" => ["-xi"],
        "1.2.840.10008.1.2.2" => ["-xb"],
        "1.2.840.10008.1.2.1.99" => ["-xd"],
        "1.2.840.10008.1.2.4.50" => ["-xy"],
        "1.2.840.10008.1.2.4.51" => ["-xx"],
        "1.2.840.10008.1.2.4.70" => ["-xs"],
        "1.2.840.10008.1.2.4.80" => ["-xt"],
        "1.2.840.10008.1.2.4.81" => ["-xu"],
        "1.2.840.10008.1.2.4.90" => ["-xv"],
        "1.2.840.10008.1.2.4.91" => ["-xw"],
        "1.2.840.10008.1.2.5" => ["-xr"],
        _ => [],
    };

    public static int FreeLoopbackPort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}

/// <summary>The pydicom corpus files a storage SCP should receive, and those left out with the reason.</summary>
public static class NetworkCorpus
{
    public const string Folder = "/usr/lib/python3/dist-packages/pydicom/data/test_files";

    /// <summary>Files that are not sent, and why.</summary>
    public static IReadOnlyDictionary<string, string> Excluded { get; } = new Dictionary<string, string>
    {
        ["693_J2KI.dcm"] = "JPEG 2000 transfer syntax but native (OW, odd length) pixel data: storescu proposes only uncompressed syntaxes for it and then cannot convert it",
        ["UN_sequence.dcm"] = "dataset has no SOP Class/Instance UID: storescu ignores the file",
        ["no_meta_group_length.dcm"] = "dataset has no SOP Class/Instance UID: storescu ignores the file",
        ["priv_SQ.dcm"] = "dataset has no SOP Class/Instance UID: storescu ignores the file",
        ["SC_rgb_jpeg.dcm"] = "dcmtk cannot parse the dataset (bogus element (4544,4952)): storescu ignores the file",
        ["rtdose_rle.dcm"] = "SOP Class/Instance UID encoded as UN: storescu ignores the file",
        ["rtdose_rle_1frame.dcm"] = "SOP Class/Instance UID encoded as UN: storescu ignores the file",
        ["MR_truncated.dcm"] = "truncated pixel data: dcmtk cannot read it to send",
        ["rtplan_truncated.dcm"] = "truncated: dcmtk cannot read it to send",
        ["empty_charset_LEI.dcm"] = "file meta information has no Media Storage SOP Class UID",
        ["meta_missing_tsyntax.dcm"] = "file meta information has no Transfer Syntax UID",
        ["nested_priv_SQ.dcm"] = "file meta information has no Media Storage SOP Class UID",
    };

    /// <summary>Part 10 files with a storage SOP class of the standard, minus <see cref="Excluded"/>.</summary>
    public static IReadOnlyList<string> StorableFiles()
    {
        var storage = DicomServerDefaults.SopClasses.ToHashSet();
        var list = new List<string>();
        foreach (var path in Directory.EnumerateFiles(Folder).Order(StringComparer.Ordinal))
        {
            if (Excluded.ContainsKey(Path.GetFileName(path))) continue;
            DicomPart10Header header;
            try
            {
                header = DicomPart10.ReadHeader(path); // no meta header (no_meta.dcm, *NoMeta.dcm, rtstruct.dcm) or not DICOM: not a file to send
            }
            catch (DicomParseException)
            {
                continue;
            }
            if (storage.Contains(header.SopClassUid)) list.Add(path);
        }
        return list;
    }

    /// <summary>
    /// The dataset's own SOP Instance UID, which storescu puts in the C-STORE (in rtdose*.dcm, badVR.dcm and rtplan.dcm it
    /// differs from the meta header's).
    /// </summary>
    public static string DataSetSopInstanceUid(string path) =>
        TrialFlow.Dicom.IO.Reading.DicomFileReader.Read(path, TrialFlow.Dicom.IO.Reading.DicomReadOptions.HeaderOnlyOptions).Dataset.GetString(DicomTags.SOPInstanceUID)
        ?? DicomPart10.ReadHeader(path).SopInstanceUid;

    /// <summary>The bytes of a Part 10 file after its File Meta Information.</summary>
    public static byte[] DataSetBytes(string path)
    {
        var header = DicomPart10.ReadHeader(path);
        return File.ReadAllBytes(path)[(int)header.DataSetOffset..];
    }
}

public sealed class TestLogger<T>(ITestOutputHelper output) : ILogger<T>
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        try
        {
            output.WriteLine($"{logLevel}: {formatter(state, exception)}{(exception is null ? "" : " " + exception.GetType().Name + ": " + exception.Message)}");
        }
        catch (InvalidOperationException)
        {
            // the test already finished; late log lines from background associations are dropped
        }
    }
}
