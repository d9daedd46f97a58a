using System.Text;
using System.Text.RegularExpressions;

namespace Workflows.Host.Tests.Email;

/// <summary>
/// Reads a received message the way a mail client would: unfolds headers, decodes RFC 2047 encoded words
/// (B and Q), splits multipart/alternative and decodes base64 / 7bit parts.
/// </summary>
public sealed partial class ReceivedMessage
{
    private ReceivedMessage(Dictionary<string, string> rawHeaders, string rawBody)
    {
        RawHeaders = rawHeaders;
        RawBody = rawBody;
    }

    public Dictionary<string, string> RawHeaders { get; }

    public string RawBody { get; }

    public string Header(string name) => DecodeWords(RawHeaders[name]);

    public static ReceivedMessage Parse(string data)
    {
        var split = data.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = data[..split];
        var body = data[(split + 4)..];
        var unfolded = UnfoldRegex().Replace(head, " ");
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in unfolded.Split("\r\n"))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon]] = line[(colon + 1)..].Trim();
        }

        return new ReceivedMessage(headers, body);
    }

    /// <summary>Decoded text of each part by media type (text/plain, text/html).</summary>
    public Dictionary<string, string> Bodies()
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var contentType = RawHeaders.GetValueOrDefault("Content-Type", "text/plain");
        if (contentType.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase))
        {
            var boundary = BoundaryRegex().Match(contentType).Groups[1].Value;
            var pieces = RawBody.Split("--" + boundary);
            foreach (var piece in pieces.Skip(1))
            {
                if (piece.StartsWith("--", StringComparison.Ordinal))
                {
                    break;
                }

                var part = Parse(piece.TrimStart('\r', '\n'));
                result[part.RawHeaders["Content-Type"].Split(';')[0].Trim()] = part.DecodedBody();
            }
        }
        else
        {
            result[contentType.Split(';')[0].Trim()] = DecodedBody();
        }

        return result;
    }

    private string DecodedBody()
    {
        var encoding = RawHeaders.GetValueOrDefault("Content-Transfer-Encoding", "7bit");
        return encoding.Equals("base64", StringComparison.OrdinalIgnoreCase)
            ? Encoding.UTF8.GetString(Convert.FromBase64String(RawBody.Replace("\r\n", string.Empty, StringComparison.Ordinal)))
            : RawBody;
    }

    public static string DecodeWords(string value)
    {
        // Whitespace between two adjacent encoded words is not part of the text (RFC 2047 §6.2).
        var joined = AdjacentWordsRegex().Replace(value, "?==?");
        return EncodedWordRegex().Replace(joined, m =>
        {
            var charset = Encoding.GetEncoding(m.Groups[1].Value);
            var text = m.Groups[3].Value;
            return m.Groups[2].Value.ToUpperInvariant() == "B"
                ? charset.GetString(Convert.FromBase64String(text))
                : DecodeQ(text, charset);
        });
    }

    private static string DecodeQ(string text, Encoding charset)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '=' && i + 2 < text.Length)
            {
                bytes.Add(Convert.ToByte(text.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.Add(text[i] == '_' ? (byte)' ' : (byte)text[i]);
            }
        }

        return charset.GetString([.. bytes]);
    }

    [GeneratedRegex(@"\r\n[ \t]+")]
    private static partial Regex UnfoldRegex();

    [GeneratedRegex("boundary=\"?([^\";]+)\"?")]
    private static partial Regex BoundaryRegex();

    [GeneratedRegex(@"\?=\s+=\?")]
    private static partial Regex AdjacentWordsRegex();

    [GeneratedRegex(@"=\?([^?]+)\?([BbQq])\?([^?]*)\?=")]
    private static partial Regex EncodedWordRegex();
}
