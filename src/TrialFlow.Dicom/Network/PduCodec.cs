using System.Buffers.Binary;
using System.Text;

namespace TrialFlow.Dicom.Network;

/// <summary>One presentation context as proposed in an A-ASSOCIATE-RQ (PS3.8 9.3.2.2).</summary>
internal sealed record ProposedContextItem(byte Id, string AbstractSyntax, IReadOnlyList<string> TransferSyntaxes);

/// <summary>One presentation context as answered in an A-ASSOCIATE-AC (PS3.8 9.3.3.2).</summary>
internal sealed record AcceptedContextItem(byte Id, DicomPresentationContextResult Result, string TransferSyntax);

/// <summary>The user information sub-items we act on (PS3.7 D.3.3); others (role selection, extended negotiation, user identity) are ignored.</summary>
internal sealed record UserInformation(uint MaxPduLength, string? ImplementationClassUid, string? ImplementationVersionName,
    IReadOnlyList<RoleSelection>? Roles = null);

/// <summary>SCP/SCU Role Selection (PS3.7 D.3.3.4): for C-GET the requester proposes to be the storage SCP.</summary>
internal sealed record RoleSelection(string SopClassUid, bool ScuRole, bool ScpRole);

internal sealed record AssociateRequestPdu(
    ushort ProtocolVersion, string CalledAeTitle, string CallingAeTitle, string? ApplicationContextName,
    IReadOnlyList<ProposedContextItem> Contexts, UserInformation UserInformation);

internal sealed record AssociateAcceptPdu(
    string CalledAeTitle, string CallingAeTitle, IReadOnlyList<AcceptedContextItem> Contexts, UserInformation UserInformation);

/// <summary>Encodes and decodes the control PDUs of PS3.8 9.3 (everything but P-DATA-TF, which is streamed).</summary>
internal static class PduCodec
{
    public const string ApplicationContextName = "1.2.840.10008.3.1.1.1";

    // ---- decoding (body = the PDU after its 6-byte header) ----

    public static AssociateRequestPdu ParseAssociateRequest(ReadOnlySpan<byte> body)
    {
        var (version, called, calling) = ParseAssociateHeader(body);
        var items = body[68..];
        string? appContext = null;
        var contexts = new List<ProposedContextItem>();
        UserInformation? user = null;
        foreach (var (type, value) in Items(items))
        {
            switch (type)
            {
                case 0x10:
                    appContext = Uid(value);
                    break;
                case 0x20:
                    contexts.Add(ParseProposedContext(value));
                    break;
                case 0x50:
                    user = ParseUserInformation(value);
                    break;
                default:
                    break; // PS3.8 9.3.1: unknown items are ignored
            }
        }
        return new AssociateRequestPdu(version, called, calling, appContext, contexts, user ?? new UserInformation(0, null, null));
    }

    public static AssociateAcceptPdu ParseAssociateAccept(ReadOnlySpan<byte> body)
    {
        var (_, called, calling) = ParseAssociateHeader(body);
        var items = body[68..];
        var contexts = new List<AcceptedContextItem>();
        UserInformation? user = null;
        foreach (var (type, value) in Items(items))
        {
            if (type == 0x21)
            {
                if (value.Length < 4) throw Invalid("presentation context item shorter than 4 bytes");
                string ts = "";
                foreach (var (subType, sub) in Items(value[4..]))
                    if (subType == 0x40) ts = Uid(sub);
                contexts.Add(new AcceptedContextItem(value[0], (DicomPresentationContextResult)value[2], ts));
            }
            else if (type == 0x50) user = ParseUserInformation(value);
        }
        return new AssociateAcceptPdu(called, calling, contexts, user ?? new UserInformation(0, null, null));
    }

    public static (DicomRejectResult Result, DicomRejectSource Source, DicomRejectReason Reason) ParseAssociateReject(ReadOnlySpan<byte> body)
    {
        if (body.Length < 4) throw Invalid("A-ASSOCIATE-RJ shorter than 4 bytes");
        return ((DicomRejectResult)body[1], (DicomRejectSource)body[2], (DicomRejectReason)body[3]);
    }

    public static (DicomAbortSource Source, DicomAbortReason Reason) ParseAbort(ReadOnlySpan<byte> body)
    {
        if (body.Length < 4) throw Invalid("A-ABORT shorter than 4 bytes");
        return ((DicomAbortSource)body[2], (DicomAbortReason)body[3]);
    }

    private static (ushort Version, string Called, string Calling) ParseAssociateHeader(ReadOnlySpan<byte> body)
    {
        // protocol version (2), reserved (2), called AE (16), calling AE (16), reserved (32), then items
        if (body.Length < 68) throw Invalid($"A-ASSOCIATE PDU body of {body.Length} bytes, at least 68 expected");
        var version = BinaryPrimitives.ReadUInt16BigEndian(body);
        return (version, AeTitle(body.Slice(4, 16)), AeTitle(body.Slice(20, 16)));
    }

    private static ProposedContextItem ParseProposedContext(ReadOnlySpan<byte> value)
    {
        if (value.Length < 4) throw Invalid("presentation context item shorter than 4 bytes");
        var id = value[0];
        string? abstractSyntax = null;
        var transferSyntaxes = new List<string>();
        foreach (var (type, sub) in Items(value[4..]))
        {
            if (type == 0x30) abstractSyntax = Uid(sub);
            else if (type == 0x40) transferSyntaxes.Add(Uid(sub));
        }
        return new ProposedContextItem(id, abstractSyntax ?? "", transferSyntaxes);
    }

    private static UserInformation ParseUserInformation(ReadOnlySpan<byte> value)
    {
        uint max = 0;
        string? uid = null, version = null;
        var roles = new List<RoleSelection>();
        foreach (var (type, sub) in Items(value))
        {
            switch (type)
            {
                case 0x51:
                    if (sub.Length != 4) throw Invalid("maximum length sub-item is not 4 bytes");
                    max = BinaryPrimitives.ReadUInt32BigEndian(sub);
                    break;
                case 0x52:
                    uid = Uid(sub);
                    break;
                case 0x54:
                    if (sub.Length < 4) throw Invalid("role selection sub-item shorter than 4 bytes");
                    int uidLength = BinaryPrimitives.ReadUInt16BigEndian(sub);
                    if (sub.Length != uidLength + 4) throw Invalid("role selection sub-item length does not match its UID");
                    roles.Add(new RoleSelection(Uid(sub.AsSpan(2, uidLength)), sub[uidLength + 2] == 1, sub[uidLength + 3] == 1));
                    break;
                case 0x55:
                    version = Ascii(sub).Trim();
                    break;
                default:
                    break; // async window, extended negotiation, user identity: not used
            }
        }
        return new UserInformation(max, uid, version, roles);
    }

    /// <summary>Walks a run of items / sub-items: type (1), reserved (1), length (2, big endian), value.</summary>
    private static List<(byte Type, byte[] Value)> Items(ReadOnlySpan<byte> data)
    {
        var list = new List<(byte, byte[])>();
        var pos = 0;
        while (pos < data.Length)
        {
            if (data.Length - pos < 4) throw Invalid($"truncated item header at offset {pos}");
            var type = data[pos];
            int length = BinaryPrimitives.ReadUInt16BigEndian(data[(pos + 2)..]);
            if (data.Length - pos - 4 < length) throw Invalid($"item 0x{type:X2} of {length} bytes overruns its container at offset {pos}");
            list.Add((type, data.Slice(pos + 4, length).ToArray()));
            pos += 4 + length;
        }
        return list;
    }

    private static string Ascii(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
            if (b >= 0x80) throw Invalid("non-ASCII byte in a text field");
        return Encoding.ASCII.GetString(bytes);
    }

    private static string Uid(ReadOnlySpan<byte> bytes) => Ascii(bytes).TrimEnd('\0', ' ').TrimStart(' ');

    private static string AeTitle(ReadOnlySpan<byte> bytes) => Ascii(bytes).Trim(' ', '\0');

    private static DicomPduException Invalid(string message) => new(DicomAbortReason.InvalidPduParameterValue, message);

    // ---- encoding (whole PDU including its header) ----

    public static byte[] EncodeAssociateRequest(string calledAe, string callingAe, IEnumerable<ProposedContextItem> contexts, UserInformation user)
    {
        var w = new PduWriter(PduType.AssociateRequest);
        WriteAssociateHeader(w, calledAe, callingAe);
        foreach (var pc in contexts)
        {
            var item = w.BeginItem(0x20);
            w.Byte(pc.Id); w.Byte(0); w.Byte(0); w.Byte(0);
            w.Item(0x30, pc.AbstractSyntax);
            foreach (var ts in pc.TransferSyntaxes) w.Item(0x40, ts);
            w.EndItem(item);
        }
        WriteUserInformation(w, user);
        return w.ToArray();
    }

    public static byte[] EncodeAssociateAccept(string calledAe, string callingAe, IEnumerable<AcceptedContextItem> contexts, UserInformation user)
    {
        var w = new PduWriter(PduType.AssociateAccept);
        WriteAssociateHeader(w, calledAe, callingAe);
        foreach (var pc in contexts)
        {
            var item = w.BeginItem(0x21);
            w.Byte(pc.Id); w.Byte(0); w.Byte((byte)pc.Result); w.Byte(0);
            w.Item(0x40, pc.TransferSyntax); // PS3.8 9.3.3.2: present but not significant when the context is rejected
            w.EndItem(item);
        }
        WriteUserInformation(w, user);
        return w.ToArray();
    }

    public static byte[] EncodeAssociateReject(DicomRejectResult result, DicomRejectSource source, DicomRejectReason reason) =>
        [(byte)PduType.AssociateReject, 0, 0, 0, 0, 4, 0, (byte)result, (byte)source, (byte)reason];

    public static byte[] EncodeAbort(DicomAbortSource source, DicomAbortReason reason) =>
        [(byte)PduType.Abort, 0, 0, 0, 0, 4, 0, 0, (byte)source, source == DicomAbortSource.ServiceUser ? (byte)0 : (byte)reason];

    public static byte[] EncodeReleaseRequest() => [(byte)PduType.ReleaseRequest, 0, 0, 0, 0, 4, 0, 0, 0, 0];

    public static byte[] EncodeReleaseResponse() => [(byte)PduType.ReleaseResponse, 0, 0, 0, 0, 4, 0, 0, 0, 0];

    private static void WriteAssociateHeader(PduWriter w, string calledAe, string callingAe)
    {
        w.UInt16(0x0001); // protocol version 1
        w.UInt16(0);
        w.AeTitle(calledAe);
        w.AeTitle(callingAe);
        w.Zeros(32);
        w.Item(0x10, ApplicationContextName);
    }

    private static void WriteUserInformation(PduWriter w, UserInformation user)
    {
        var item = w.BeginItem(0x50);
        var max = w.BeginItem(0x51);
        w.UInt32(user.MaxPduLength);
        w.EndItem(max);
        w.Item(0x52, user.ImplementationClassUid ?? IO.Writing.TrialFlowImplementation.ImplementationClassUid);
        foreach (var role in user.Roles ?? [])
        {
            var selection = w.BeginItem(0x54);
            var uid = Encoding.ASCII.GetBytes(role.SopClassUid);
            w.UInt16((ushort)uid.Length);
            foreach (var b in uid) w.Byte(b);
            w.Byte(role.ScuRole ? (byte)1 : (byte)0);
            w.Byte(role.ScpRole ? (byte)1 : (byte)0);
            w.EndItem(selection);
        }
        w.Item(0x55, user.ImplementationVersionName ?? IO.Writing.TrialFlowImplementation.ImplementationVersionName);
        w.EndItem(item);
    }

    private sealed class PduWriter
    {
        private readonly MemoryStream _ms = new();

        public PduWriter(PduType type)
        {
            _ms.Write([(byte)type, 0, 0, 0, 0, 0]);
        }

        public void Byte(byte b) => _ms.WriteByte(b);

        public void UInt16(ushort v)
        {
            Span<byte> b = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(b, v);
            _ms.Write(b);
        }

        public void UInt32(uint v)
        {
            Span<byte> b = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(b, v);
            _ms.Write(b);
        }

        public void Zeros(int count) => _ms.Write(new byte[count]);

        public void AeTitle(string ae)
        {
            var bytes = Encoding.ASCII.GetBytes(ae.Length > 16 ? ae[..16] : ae.PadRight(16));
            _ms.Write(bytes);
        }

        public void Item(byte type, string text)
        {
            var bytes = Encoding.ASCII.GetBytes(text);
            _ms.WriteByte(type);
            _ms.WriteByte(0);
            UInt16((ushort)bytes.Length);
            _ms.Write(bytes);
        }

        public long BeginItem(byte type)
        {
            _ms.WriteByte(type);
            _ms.WriteByte(0);
            var at = _ms.Position;
            UInt16(0);
            return at;
        }

        public void EndItem(long lengthAt)
        {
            var length = _ms.Position - lengthAt - 2;
            BinaryPrimitives.WriteUInt16BigEndian(_ms.GetBuffer().AsSpan((int)lengthAt), checked((ushort)length));
        }

        public byte[] ToArray()
        {
            var bytes = _ms.ToArray();
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(2), (uint)(bytes.Length - 6));
            return bytes;
        }
    }
}
