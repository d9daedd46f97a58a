using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Microsoft.Extensions.Options;
using Workflows.Programmes.Outbox;

namespace Workflows.Service.Email;

/// <summary>
/// Sends through any SMTP relay with a small hand-written client (MailKit is not restorable here):
/// EHLO, optional STARTTLS or TLS on connect, optional AUTH PLAIN / LOGIN, MAIL FROM, RCPT TO, DATA, QUIT.
/// One connection per mail.
/// </summary>
/// <remarks>
/// Replies 4xx → transient (try again later), 5xx → permanent. Connection, TLS and timeout problems are transient.
/// The final reply to DATA (e.g. <c>250 2.0.0 Ok: queued as 4F2A1</c>) is kept as the provider message id.
/// </remarks>
public sealed class SmtpMailSender : IMailSender
{
    private readonly SmtpOptions _options;
    private readonly EmailOptions _email;
    private readonly TimeProvider _time;

    /// <summary>Creates the sender.</summary>
    /// <param name="options">SMTP settings.</param>
    /// <param name="email">Email settings (the From address).</param>
    /// <param name="time">The clock (Date header).</param>
    public SmtpMailSender(IOptions<SmtpOptions> options, IOptions<EmailOptions> email, TimeProvider time)
    {
        _options = options.Value;
        _email = email.Value;
        _time = time;
    }

    /// <summary>Replaces the system's server-certificate check (tests trust their own self-signed certificate).</summary>
    internal RemoteCertificateValidationCallback? CertificateValidation { get; init; }

    /// <inheritdoc/>
    public async Task<MailSendResult> SendAsync(OutboxMail mail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mail);
        if (!IsAscii(mail.To.Address) || !IsAscii(_email.FromAddress ?? string.Empty))
        {
            return new MailSendResult.Permanent($"Address '{mail.To.Address}' is not ASCII; this client does not use SMTPUTF8.");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            return await ConverseAsync(mail, timeout.Token);
        }
        catch (SmtpReplyException ex)
        {
            return ex.Code is >= 500 and < 600
                ? new MailSendResult.Permanent(ex.Message)
                : new MailSendResult.Transient(ex.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new MailSendResult.Transient($"SMTP conversation with {_options.Host}:{_options.Port} took longer than {_options.Timeout.TotalSeconds:0} s.");
        }
        catch (Exception ex) when (ex is IOException or SocketException or AuthenticationException or EndOfStreamException)
        {
            return new MailSendResult.Transient($"SMTP connection to {_options.Host}:{_options.Port} failed: {ex.Message}");
        }
    }

    private async Task<MailSendResult> ConverseAsync(OutboxMail mail, CancellationToken ct)
    {
        var host = _options.Host!;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(host, _options.Port, ct);
        Stream stream = tcp.GetStream();
        if (_options.Security == SmtpSecurity.SslOnConnect)
        {
            stream = await UpgradeAsync(stream, host, ct);
        }

        await using var connection = new SmtpConnection(stream);
        await connection.ReadReplyAsync("greeting", 220, ct);
        var capabilities = await connection.CommandAsync($"EHLO {_options.ClientName}", 250, ct);

        if (_options.Security == SmtpSecurity.StartTls)
        {
            if (!Offers(capabilities, "STARTTLS"))
            {
                return new MailSendResult.Permanent(
                    $"{host}:{_options.Port} does not offer STARTTLS; set 'Workflows:Email:Smtp:Security' to SslOnConnect for port 465, or to None only for a trusted local server.");
            }

            await connection.CommandAsync("STARTTLS", 220, ct);
            connection.Replace(await UpgradeAsync(connection.Stream, host, ct));
            capabilities = await connection.CommandAsync($"EHLO {_options.ClientName}", 250, ct);
        }

        if (!string.IsNullOrEmpty(_options.UserName))
        {
            await AuthenticateAsync(connection, capabilities, ct);
        }

        await connection.CommandAsync($"MAIL FROM:<{_email.FromAddress}>", 250, ct);
        await connection.CommandAsync($"RCPT TO:<{mail.To.Address}>", 250, ct, alsoAccept: 251);
        await connection.CommandAsync("DATA", 354, ct);
        var message = MimeMessageWriter.Write(mail, new OutboxAddress(_email.FromAddress!, _email.FromName), _time.GetUtcNow());
        var accepted = await connection.SendDataAsync(message, ct);

        // The mail is accepted: from here nothing (not even the host stopping) may turn this into a failure,
        // or the outbox would send it again.
        try
        {
            using var quitTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await connection.CommandAsync("QUIT", 221, quitTimeout.Token);
        }
        catch (Exception ex) when (ex is SmtpReplyException or IOException or EndOfStreamException or OperationCanceledException or SocketException)
        {
            // A rude goodbye changes nothing.
        }

        return new MailSendResult.Sent(accepted);
    }

    private async Task AuthenticateAsync(SmtpConnection connection, IReadOnlyList<string> capabilities, CancellationToken ct)
    {
        var auth = capabilities.FirstOrDefault(c => c.StartsWith("AUTH ", StringComparison.OrdinalIgnoreCase) || c.StartsWith("AUTH=", StringComparison.OrdinalIgnoreCase));
        var mechanisms = auth?[5..].Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
        var user = _options.UserName!;
        var password = _options.Password ?? string.Empty;
        if (mechanisms.Contains("PLAIN", StringComparer.OrdinalIgnoreCase))
        {
            var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{user}\0{password}"));
            await connection.CommandAsync($"AUTH PLAIN {credentials}", 235, ct, redacted: "AUTH PLAIN ****");
        }
        else if (mechanisms.Contains("LOGIN", StringComparer.OrdinalIgnoreCase))
        {
            await connection.CommandAsync("AUTH LOGIN", 334, ct);
            await connection.CommandAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(user)), 334, ct, redacted: "(user name)");
            await connection.CommandAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(password)), 235, ct, redacted: "(password)");
        }
        else
        {
            throw new SmtpReplyException(530, $"{_options.Host} offers no AUTH PLAIN or LOGIN but 'Workflows:Email:Smtp:UserName' is set.", "EHLO");
        }
    }

    private async Task<Stream> UpgradeAsync(Stream inner, string host, CancellationToken ct)
    {
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
        await ssl.AuthenticateAsClientAsync(
            new SslClientAuthenticationOptions { TargetHost = host, RemoteCertificateValidationCallback = CertificateValidation },
            ct);
        return ssl;
    }

    private static bool Offers(IReadOnlyList<string> capabilities, string keyword) =>
        capabilities.Any(c => c.Equals(keyword, StringComparison.OrdinalIgnoreCase) || c.StartsWith(keyword + " ", StringComparison.OrdinalIgnoreCase));

    private static bool IsAscii(string text) => text.All(c => c is > ' ' and <= '~');

    /// <summary>An SMTP reply other than the one expected.</summary>
    private sealed class SmtpReplyException(int code, string text, string command)
        : Exception($"SMTP {command} → {code.ToString(CultureInfo.InvariantCulture)} {text}")
    {
        public int Code { get; } = code;
    }

    /// <summary>Line-level SMTP over a stream that may be swapped for a TLS one.</summary>
    private sealed class SmtpConnection(Stream stream) : IAsyncDisposable
    {
        private readonly byte[] _buffer = new byte[4096];
        private int _start;
        private int _end;

        public Stream Stream { get; private set; } = stream;

        public void Replace(Stream upgraded)
        {
            // After STARTTLS's 220 the server sends nothing until the handshake, so no plain bytes can be buffered.
            _start = _end = 0;
            Stream = upgraded;
        }

        public async Task<IReadOnlyList<string>> CommandAsync(string command, int expected, CancellationToken ct, int? alsoAccept = null, string? redacted = null)
        {
            await Stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"), ct);
            await Stream.FlushAsync(ct);
            var shown = redacted ?? command;
            return await ReadReplyAsync(shown.Length > 40 ? shown[..40] + "…" : shown, expected, ct, alsoAccept);
        }

        public async Task<string> SendDataAsync(string message, CancellationToken ct)
        {
            var sb = new StringBuilder(message.Length + 64);
            foreach (var line in message.Split("\r\n"))
            {
                // Dot-stuffing (RFC 5321 §4.5.2).
                if (line.StartsWith('.'))
                {
                    sb.Append('.');
                }

                sb.Append(line).Append("\r\n");
            }

            if (message.EndsWith("\r\n", StringComparison.Ordinal))
            {
                sb.Length -= 2;
            }

            sb.Append(".\r\n");
            await Stream.WriteAsync(Encoding.ASCII.GetBytes(sb.ToString()), ct);
            await Stream.FlushAsync(ct);
            var reply = await ReadReplyAsync("DATA (end)", 250, ct);
            return string.Join(" ", reply).Trim();
        }

        public async Task<IReadOnlyList<string>> ReadReplyAsync(string command, int expected, CancellationToken ct, int? alsoAccept = null)
        {
            var lines = new List<string>();
            int code;
            while (true)
            {
                var line = await ReadLineAsync(ct);
                if (line.Length < 3 || !int.TryParse(line.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture, out code))
                {
                    throw new IOException($"SMTP {command}: malformed reply '{line}'.");
                }

                lines.Add(line.Length > 4 ? line[4..] : string.Empty);
                if (line.Length == 3 || line[3] == ' ')
                {
                    break;
                }
            }

            if (code != expected && code != alsoAccept)
            {
                throw new SmtpReplyException(code, string.Join(" ", lines), command);
            }

            return lines;
        }

        private async Task<string> ReadLineAsync(CancellationToken ct)
        {
            var line = new List<byte>();
            while (true)
            {
                if (_start == _end)
                {
                    _start = 0;
                    _end = await Stream.ReadAsync(_buffer, ct);
                    if (_end == 0)
                    {
                        throw new EndOfStreamException("The SMTP server closed the connection.");
                    }
                }

                var b = _buffer[_start++];
                if (b == (byte)'\n')
                {
                    if (line.Count > 0 && line[^1] == (byte)'\r')
                    {
                        line.RemoveAt(line.Count - 1);
                    }

                    return Encoding.UTF8.GetString([.. line]);
                }

                line.Add(b);
                if (line.Count > 4096)
                {
                    throw new IOException("SMTP reply line longer than 4096 bytes.");
                }
            }
        }

        public ValueTask DisposeAsync() => Stream.DisposeAsync();
    }
}
