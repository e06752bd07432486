using System.Globalization;
using System.Text;

namespace TrialFlow.Core.Text;

/// <summary>RFC 4180 CSV: fields quoted only when they hold a comma, quote or line break; CRLF line ends.</summary>
public static class Csv
{
    public static void WriteRow(TextWriter writer, ReadOnlySpan<string?> fields)
    {
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0)
                writer.Write(',');
            Write(writer, fields[i]);
        }
        writer.Write("\r\n");
    }

    public static void Write(TextWriter writer, string? field)
    {
        if (string.IsNullOrEmpty(field))
            return;
        if (field.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            writer.Write(field);
            return;
        }
        writer.Write('"');
        writer.Write(field.Replace("\"", "\"\"", StringComparison.Ordinal));
        writer.Write('"');
    }

    public static string Number(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Splits one line (fields with embedded line breaks are not supported by the line readers that call this).</summary>
    public static List<string> Split(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                    quoted = false;
                else
                    field.Append(c);
            }
            else if (c == '"')
                quoted = true;
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
                field.Append(c);
        }
        fields.Add(field.ToString());
        return fields;
    }
}
