using System.Text;

namespace Broadcast.Core.Uploads;

/// <summary>What the first bytes of an upload say about its text: the encoding (UTF-8 unless a byte order mark names
/// another) and, from the header line, the separator.</summary>
internal static class UploadText
{
    /// <summary>How much of the start is read before the CSV reader sees it: enough for any sensible header line.</summary>
    public const int StartLength = 64 * 1024;

    public static async Task<byte[]> ReadStartAsync(Stream body, CancellationToken ct)
    {
        var buffer = new byte[StartLength];
        var length = 0;
        while (length < buffer.Length)
        {
            var n = await body.ReadAsync(buffer.AsMemory(length), ct);
            if (n == 0) break;
            length += n;
        }
        return length == buffer.Length ? buffer : buffer[..length];
    }

    /// <summary>The encoding a byte order mark names, with the mark's length; UTF-8 without one.</summary>
    public static (Encoding Encoding, int BomLength) DetectEncoding(ReadOnlySpan<byte> start) => start switch
    {
        [0xEF, 0xBB, 0xBF, ..] => (Encoding.UTF8, 3),
        [0xFF, 0xFE, 0x00, 0x00, ..] => (Encoding.UTF32, 4),
        [0x00, 0x00, 0xFE, 0xFF, ..] => (new UTF32Encoding(bigEndian: true, byteOrderMark: true), 4),
        [0xFF, 0xFE, ..] => (Encoding.Unicode, 2),
        [0xFE, 0xFF, ..] => (Encoding.BigEndianUnicode, 2),
        _ => (Encoding.UTF8, 0),
    };

    /// <summary>';' when the header line has more semicolons than commas outside quotes, else ','.</summary>
    public static char DetectSeparator(ReadOnlySpan<byte> start, Encoding encoding, int bomLength)
    {
        var text = encoding.GetString(start[bomLength..]);
        int commas = 0, semicolons = 0;
        var quoted = false;
        var seenText = false;
        foreach (var c in text)
        {
            if (c == '"') quoted = !quoted;
            else if (quoted) continue;
            else if (c is '\r' or '\n')
            {
                if (seenText) break; // blank lines before the header do not end it
            }
            else if (c == ',') commas++;
            else if (c == ';') semicolons++;
            seenText |= c is not ('\r' or '\n');
        }
        return semicolons > commas ? ';' : ',';
    }
}
