using System.Net.Sockets;

namespace TrialFlow.Dicom.Tests.Network;

/// <summary>Peers that break PS3.8 or stall: the SCP answers with A-ABORT or closes, within its timeouts, and keeps serving others.</summary>
public sealed class BadPeerTests(ITestOutputHelper output)
{
    // Generous bound for "eventually closed": the timeouts under test are 1-2 s; this only guards against hanging forever.
    private static readonly TimeSpan Eventually = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Garbage_instead_of_an_association_request_is_aborted_as_an_unrecognized_PDU()
    {
        await using var scp = await TestScp.StartAsync(output, o => o.ArtimTimeout = TimeSpan.FromSeconds(2));
        using var peer = await RawPeer.ConnectAsync(scp.Port);
        await peer.SendAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());
        var answer = await peer.ReadUntilClosedAsync(Eventually);
        Assert.Equal(Abort(DicomAbortReason.UnrecognizedPdu), answer);
        Assert.Equal(DicomStatus.Success, await scp.Client().EchoAsync()); // the server still serves others
        var ended = await scp.Observer.WaitForAsync(2);
        Assert.Contains(ended, s => s.Outcome == DicomAssociationOutcome.ProtocolError && s.CallingAeTitle.Length == 0);
        Assert.Contains(ended, s => s.Outcome == DicomAssociationOutcome.Released && s.CallingAeTitle == TestScp.SiteAeTitle);
    }

    [Fact]
    public async Task A_client_that_connects_and_sends_nothing_is_closed_after_the_ARTIM_timeout()
    {
        await using var scp = await TestScp.StartAsync(output, o => o.ArtimTimeout = TimeSpan.FromSeconds(1));
        using var peer = await RawPeer.ConnectAsync(scp.Port);
        var answer = await peer.ReadUntilClosedAsync(Eventually);
        Assert.Empty(answer); // PS3.8 9.2: ARTIM expiry before association just closes the transport
        await WaitForAsync(() => scp.Server.ActiveAssociations == 0);
        Assert.Equal(DicomAssociationOutcome.TimedOut, Assert.Single(await scp.Observer.WaitForAsync(1)).Outcome);
    }

    [Fact]
    public async Task A_slow_loris_trickling_an_association_request_is_cut_off_by_ARTIM()
    {
        await using var scp = await TestScp.StartAsync(output, o => o.ArtimTimeout = TimeSpan.FromSeconds(1));
        using var peer = await RawPeer.ConnectAsync(scp.Port);
        var request = AssociateRequest();
        var clock = Stopwatch.StartNew();
        var closed = false;
        for (var i = 0; i < request.Length && clock.Elapsed < Eventually; i++)
        {
            if (!await peer.TrySendAsync(request.AsMemory(i, 1)))
            {
                closed = true;
                break;
            }
            await Task.Delay(100);
        }
        Assert.True(closed || await peer.IsClosedAsync(Eventually), "the connection stayed open");
        await WaitForAsync(() => scp.Server.ActiveAssociations == 0);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public async Task An_associated_peer_that_goes_silent_is_aborted_after_the_idle_timeout()
    {
        await using var scp = await TestScp.StartAsync(output, o => o.IdleTimeout = TimeSpan.FromSeconds(1));
        using var peer = await RawPeer.ConnectAsync(scp.Port);
        await peer.SendAsync(AssociateRequest());
        var answer = await peer.ReadUntilClosedAsync(Eventually);
        Assert.Equal((byte)PduType.AssociateAccept, answer[0]);
        Assert.Equal(Abort(DicomAbortReason.NotSpecified), answer[^10..]);
        Assert.Equal(DicomAssociationOutcome.TimedOut, Assert.Single(await scp.Observer.WaitForAsync(1)).Outcome);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public async Task An_associated_peer_trickling_a_PDU_is_aborted_after_the_idle_timeout()
    {
        await using var scp = await TestScp.StartAsync(output, o => o.IdleTimeout = TimeSpan.FromSeconds(1));
        using var peer = await RawPeer.ConnectAsync(scp.Port);
        await peer.SendAsync(AssociateRequest());
        Assert.Equal((byte)PduType.AssociateAccept, (await peer.ReadPduAsync(Eventually))[0]);
        var pdata = PData(1, 0x03, new byte[200]);
        var clock = Stopwatch.StartNew();
        var cut = false;
        for (var i = 0; i < pdata.Length && clock.Elapsed < Eventually; i++)
        {
            if (!await peer.TrySendAsync(pdata.AsMemory(i, 1)))
            {
                cut = true;
                break;
            }
            await Task.Delay(100);
        }
        Assert.True(cut || await peer.IsClosedAsync(Eventually), "the connection stayed open");
        await WaitForAsync(() => scp.Server.ActiveAssociations == 0);
    }

    [Fact]
    public async Task On_an_injected_clock_an_idle_association_is_aborted_only_once_the_idle_timeout_has_passed()
    {
        var clock = new ManualTimeProvider();
        await using var scp = await TestScp.StartAsync(output, o =>
        {
            o.IdleTimeout = TimeSpan.FromMinutes(10);
            o.ArtimTimeout = TimeSpan.FromMinutes(1);
        }, timeProvider: clock);
        using var peer = await RawPeer.ConnectAsync(scp.Port);
        await peer.SendAsync(AssociateRequest());
        Assert.Equal((byte)PduType.AssociateAccept, (await peer.ReadPduAsync(Eventually))[0]);

        clock.Advance(TimeSpan.FromMinutes(9)); // not yet idle for 10 minutes: still associated, echo still answered
        var echo = new DimseCommand { CommandField = DimseCommandField.CEchoRequest, MessageId = 1, AffectedSopClassUid = DicomServerDefaults.VerificationSopClassUid }.Encode();
        await peer.SendAsync(PData(1, 0x03, echo));
        var response = await peer.ReadPduAsync(Eventually);
        Assert.Equal((byte)PduType.PData, response[0]);
        Assert.Equal(DicomStatus.Success.Code, DimseCommand.Parse(response.AsSpan(12)).Status);

        // The read deadline is armed when the server starts waiting, which the test cannot observe: keep moving the
        // clock past it until the server gives up.
        var closed = peer.ReadUntilClosedAsync(Eventually);
        while (!closed.IsCompleted)
        {
            clock.Advance(TimeSpan.FromMinutes(11));
            await Task.WhenAny(closed, Task.Delay(50));
        }
        Assert.Equal(Abort(DicomAbortReason.NotSpecified), await closed);
        peer.Dispose(); // the server waits (on the stopped clock) for the peer to close after its A-ABORT
        Assert.Equal(DicomAssociationOutcome.TimedOut, Assert.Single(await scp.Observer.WaitForAsync(1)).Outcome);
    }

    [Fact]
    public async Task A_PDU_longer_than_the_limit_is_aborted_without_reading_it()
    {
        await using var scp = await TestScp.StartAsync(output, o => o.MaxPduLength = 16384);
        using var peer = await RawPeer.ConnectAsync(scp.Port);
        await peer.SendAsync(AssociateRequest());
        var accept = await peer.ReadPduAsync(Eventually);
        Assert.Equal((byte)PduType.AssociateAccept, accept[0]);
        await peer.SendAsync([0x04, 0x00, 0x7F, 0xFF, 0xFF, 0xFF]); // P-DATA-TF announcing ~2 GiB
        var answer = await peer.ReadUntilClosedAsync(Eventually);
        Assert.Equal(Abort(DicomAbortReason.InvalidPduParameterValue), answer);
    }

    [Fact]
    public async Task An_association_request_with_an_item_overrunning_the_PDU_is_aborted()
    {
        await using var scp = await TestScp.StartAsync(output);
        using var peer = await RawPeer.ConnectAsync(scp.Port);
        var request = AssociateRequest();
        BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(6 + 68 + 2), 0xFFFF); // application context item length
        await peer.SendAsync(request);
        Assert.Equal(Abort(DicomAbortReason.InvalidPduParameterValue), await peer.ReadUntilClosedAsync(Eventually));
    }

    [Fact]
    public async Task Data_on_a_presentation_context_that_was_not_accepted_is_aborted()
    {
        await using var scp = await TestScp.StartAsync(output);
        using var peer = await RawPeer.ConnectAsync(scp.Port);
        await peer.SendAsync(AssociateRequest());
        await peer.ReadPduAsync(Eventually);
        await peer.SendAsync([0x04, 0, 0, 0, 0, 8, 0, 0, 0, 4, 99, 0x03, 0, 0]); // PDV on context 99
        Assert.Equal(Abort(DicomAbortReason.InvalidPduParameterValue), await peer.ReadUntilClosedAsync(Eventually));
    }

    [Fact]
    public async Task A_peer_aborting_in_the_middle_of_a_dataset_leaves_nothing_committed()
    {
        await using var scp = await TestScp.StartAsync(output);
        using var peer = await RawPeer.ConnectAsync(scp.Port);
        await peer.SendAsync(AssociateRequest(("1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.1.2.1")));
        var accept = await peer.ReadPduAsync(Eventually);
        Assert.Equal((byte)PduType.AssociateAccept, accept[0]);
        var command = new DimseCommand
        {
            CommandField = DimseCommandField.CStoreRequest, MessageId = 1, AffectedSopClassUid = "1.2.840.10008.5.1.4.1.1.2",
            AffectedSopInstanceUid = "1.2.3.4", Priority = 0, CommandDataSetType = 0,
        }.Encode();
        await peer.SendAsync(PData(1, 0x03, command));
        await peer.SendAsync(PData(1, 0x00, new byte[100])); // first dataset fragment, not last
        await peer.SendAsync(PduCodec.EncodeAbort(DicomAbortSource.ServiceUser, 0));
        await peer.ReadUntilClosedAsync(Eventually);
        await WaitForAsync(() => scp.Server.ActiveAssociations == 0);
        Assert.Equal(1, scp.Handler.Begun);
        Assert.Equal(1, scp.Handler.Discarded);
        Assert.Empty(scp.Handler.Committed);
        var summary = Assert.Single(await scp.Observer.WaitForAsync(1));
        Assert.Equal((DicomAssociationOutcome.AbortedByPeer, 0, 0), (summary.Outcome, summary.InstancesStored, summary.InstancesFailed));
    }

    [Trait("Category", "Slow")]
    [Fact]
    public async Task Stopping_the_server_aborts_open_associations_and_returns()
    {
        var scp = await TestScp.StartAsync(output);
        using var peer = await RawPeer.ConnectAsync(scp.Port);
        await peer.SendAsync(AssociateRequest());
        await peer.ReadPduAsync(Eventually);
        await scp.Server.StopAsync().WaitAsync(Eventually);
        Assert.Equal(Abort(DicomAbortReason.NotSpecified), await peer.ReadUntilClosedAsync(Eventually));
        await scp.DisposeAsync();
    }

    [Fact]
    public async Task Role_selection_async_window_and_unknown_user_information_are_ignored_safely()
    {
        await using var scp = await TestScp.StartAsync(output);
        using var peer = await RawPeer.ConnectAsync(scp.Port);
        var request = AssociateRequest(("1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.1.2"));
        var uid = "1.2.840.10008.5.1.4.1.1.2"u8.ToArray();
        byte[] extra =
        [
            0x53, 0, 0, 4, 0, 5, 0, 5,                                               // asynchronous operations window 5/5
            0x54, 0, 0, (byte)(uid.Length + 4), 0, (byte)uid.Length, .. uid, 1, 1,   // SCP/SCU role selection
            0x58, 0, 0, 8, 1, 0, 0, 2, (byte)'u', (byte)'1', 0, 0,                    // user identity (username, no response requested)
            0x7E, 0, 0, 2, 0xAB, 0xCD,                                                // an unknown sub-item
        ];
        // the user information item is the last item of the PDU: append the sub-items and fix both lengths
        var userItemAt = request.Length - 1;
        while (!(request[userItemAt] == 0x50 && BinaryPrimitives.ReadUInt16BigEndian(request.AsSpan(userItemAt + 2)) == request.Length - userItemAt - 4)) userItemAt--;
        var patched = new byte[request.Length + extra.Length];
        request.CopyTo(patched, 0);
        extra.CopyTo(patched, request.Length);
        BinaryPrimitives.WriteUInt16BigEndian(patched.AsSpan(userItemAt + 2), (ushort)(patched.Length - userItemAt - 4));
        BinaryPrimitives.WriteUInt32BigEndian(patched.AsSpan(2), (uint)(patched.Length - 6));
        await peer.SendAsync(patched);
        var accept = await peer.ReadPduAsync(Eventually);
        Assert.Equal((byte)PduType.AssociateAccept, accept[0]);
        var ac = PduCodec.ParseAssociateAccept(accept.AsSpan(6));
        var context = Assert.Single(ac.Contexts);
        Assert.Equal(DicomPresentationContextResult.Acceptance, context.Result);
        await peer.SendAsync(PduCodec.EncodeReleaseRequest());
        Assert.Equal(PduCodec.EncodeReleaseResponse(), await peer.ReadPduAsync(Eventually));
    }

    private static byte[] Abort(DicomAbortReason reason) => PduCodec.EncodeAbort(DicomAbortSource.ServiceProvider, reason);

    private static byte[] PData(byte context, byte header, byte[] data)
    {
        var pdu = new byte[12 + data.Length];
        pdu[0] = 0x04;
        BinaryPrimitives.WriteUInt32BigEndian(pdu.AsSpan(2), (uint)(data.Length + 6));
        BinaryPrimitives.WriteUInt32BigEndian(pdu.AsSpan(6), (uint)(data.Length + 2));
        pdu[10] = context;
        pdu[11] = header;
        data.CopyTo(pdu, 12);
        return pdu;
    }

    private static byte[] AssociateRequest(params (string AbstractSyntax, string TransferSyntax)[] contexts)
    {
        if (contexts.Length == 0) contexts = [(DicomServerDefaults.VerificationSopClassUid, "1.2.840.10008.1.2")];
        return PduCodec.EncodeAssociateRequest(TestScp.AeTitle, TestScp.SiteAeTitle,
            contexts.Select((c, i) => new ProposedContextItem((byte)(2 * i + 1), c.AbstractSyntax, [c.TransferSyntax])),
            new UserInformation(16384, null, null));
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < Eventually, "condition not reached");
            await Task.Delay(50);
        }
    }

    /// <summary>A hand-driven TCP peer.</summary>
    private sealed class RawPeer : IDisposable
    {
        private readonly TcpClient _client;
        private readonly NetworkStream _stream;

        private RawPeer(TcpClient client)
        {
            _client = client;
            _stream = client.GetStream();
        }

        public static async Task<RawPeer> ConnectAsync(int port)
        {
            var client = new TcpClient { NoDelay = true };
            await client.ConnectAsync("127.0.0.1", port);
            return new RawPeer(client);
        }

        public Task SendAsync(byte[] bytes) => _stream.WriteAsync(bytes).AsTask();

        public async Task<bool> TrySendAsync(ReadOnlyMemory<byte> bytes)
        {
            try
            {
                await _stream.WriteAsync(bytes);
                return true;
            }
            catch (IOException)
            {
                return false;
            }
        }

        public async Task<byte[]> ReadPduAsync(TimeSpan timeout)
        {
            using var cts = new CancellationTokenSource(timeout);
            var header = new byte[6];
            await _stream.ReadExactlyAsync(header, cts.Token);
            var body = new byte[BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(2))];
            await _stream.ReadExactlyAsync(body, cts.Token);
            return [.. header, .. body];
        }

        /// <summary>Everything the server sends until it closes the connection (fails if it never does).</summary>
        public async Task<byte[]> ReadUntilClosedAsync(TimeSpan timeout)
        {
            using var cts = new CancellationTokenSource(timeout);
            var all = new MemoryStream();
            var buffer = new byte[8192];
            try
            {
                int n;
                while ((n = await _stream.ReadAsync(buffer, cts.Token)) > 0) all.Write(buffer, 0, n);
            }
            catch (IOException)
            {
                // reset after the server's last bytes
            }
            return all.ToArray();
        }

        public async Task<bool> IsClosedAsync(TimeSpan timeout)
        {
            await ReadUntilClosedAsync(timeout);
            return true;
        }

        public void Dispose() => _client.Dispose();
    }
}
