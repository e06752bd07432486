using System.Numerics;

namespace TrialFlow.Dicom;

/// <summary>Unique identifiers (PS3.5 9): validation and generation under the UUID-derived root 2.25 (PS3.5 B.2).</summary>
public static class DicomUid
{
    /// <summary>A new UID "2.25.&lt;UUID as a decimal integer&gt;" (at most 44 characters).</summary>
    public static string Generate() => FromGuid(Guid.NewGuid());

    /// <summary>The 2.25 UID of a given UUID (deterministic: the same UUID gives the same UID).</summary>
    public static string FromGuid(Guid guid)
    {
        var bytes = guid.ToByteArray(bigEndian: true);
        return "2.25." + new BigInteger(bytes, isUnsigned: true, isBigEndian: true).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>PS3.5 9.1: digits and dots, at most 64 characters, no empty component, no leading zero in a component.</summary>
    public static bool IsValid(string uid)
    {
        if (uid.Length is 0 or > 64) return false;
        foreach (var component in uid.Split('.'))
        {
            if (component.Length == 0 || (component.Length > 1 && component[0] == '0')) return false;
            foreach (var c in component)
                if (c is < '0' or > '9') return false;
        }
        return true;
    }
}
