using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Workflows.Host.Tests.Email;

/// <summary>The steps of an SMTP session a test may answer differently.</summary>
public enum SmtpStep
{
    Greeting,
    Ehlo,
    MailFrom,
    RcptTo,
    Data,
    EndOfData,
}

/// <summary>One recorded SMTP session.</summary>
public sealed class SmtpSession
{
    public ConcurrentQueue<string> Commands { get; } = new();

    public string? Ehlo { get; set; }

    public string? MailFrom { get; set; }

    public List<string> RcptTo { get; } = [];

    public string? AuthenticatedUser { get; set; }

    /// <summary>Whether the session switched to TLS with STARTTLS before the message.</summary>
    public bool Tls { get; set; }

    /// <summary>The message as received after DATA, with dot-stuffing undone.</summary>
    public string? Data { get; set; }
}

/// <summary>
/// A real SMTP server on 127.0.0.1 (any free port) that speaks enough of RFC 5321 for the sender: EHLO, AUTH PLAIN/LOGIN,
/// MAIL, RCPT, DATA, RSET, NOOP, QUIT. It records every session; <see cref="Override"/> lets a test answer a step
/// with another reply (e.g. <c>451</c> on the first session's RCPT).
/// </summary>
public sealed class LoopbackSmtpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private readonly List<Task> _sessions = [];
    private int _sessionCount;

    public LoopbackSmtpServer(string? user = null, string? password = null, string authMechanisms = "PLAIN LOGIN", X509Certificate2? tlsCertificate = null)
    {
        User = user;
        Password = password;
        AuthMechanisms = authMechanisms;
        TlsCertificate = tlsCertificate;
        _listener.Start();
        _acceptLoop = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string? User { get; }

    public string? Password { get; }

    public string AuthMechanisms { get; }

    /// <summary>When set, the server offers STARTTLS with this certificate.</summary>
    public X509Certificate2? TlsCertificate { get; }

    /// <summary>Given the 0-based session number and the step, returns a reply to send instead of the normal one, or null.</summary>
    public Func<int, SmtpStep, string?> Override { get; set; } = (_, _) => null;

    public ConcurrentQueue<SmtpSession> Sessions { get; } = new();

    /// <summary>Released once per message accepted (250 after DATA).</summary>
    public SemaphoreSlim Accepted { get; } = new(0);

    /// <summary>Released once per session that ended (for any reason).</summary>
    public SemaphoreSlim SessionEnded { get; } = new(0);

    public IReadOnlyList<SmtpSession> Delivered => Sessions.Where(s => s.Data is not null).ToList();

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            var index = Interlocked.Increment(ref _sessionCount) - 1;
            lock (_sessions)
            {
                _sessions.Add(Task.Run(() => ServeAsync(client, index)));
            }
        }
    }

    private async Task ServeAsync(TcpClient client, int index)
    {
        var session = new SmtpSession();
        Sessions.Enqueue(session);
        try
        {
            using (client)
            {
                Stream stream = client.GetStream();
                var reader = new StreamReader(stream, new UTF8Encoding(false), false, 1024, leaveOpen: true);
                var writer = new StreamWriter(stream, new UTF8Encoding(false), 1024, leaveOpen: true) { NewLine = "\r\n", AutoFlush = true };
                var token = _stop.Token;

                async Task<bool> Reply(SmtpStep step, string normal)
                {
                    var reply = Override(index, step) ?? normal;
                    await writer.WriteLineAsync(reply.AsMemory(), token);
                    return reply.StartsWith('2') || reply.StartsWith('3');
                }

                if (!await Reply(SmtpStep.Greeting, "220 loopback.test ESMTP ready"))
                {
                    return;
                }

                while (await reader.ReadLineAsync(token) is { } line)
                {
                    session.Commands.Enqueue(line);
                    var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                    var argument = line.Length > verb.Length ? line[(verb.Length + 1)..] : string.Empty;
                    switch (verb)
                    {
                        case "EHLO":
                            session.Ehlo = argument;
                            var ehloOverride = Override(index, SmtpStep.Ehlo);
                            if (ehloOverride is not null)
                            {
                                await writer.WriteLineAsync(ehloOverride);
                                break;
                            }

                            await writer.WriteLineAsync($"250-loopback.test greets {argument}");
                            if (TlsCertificate is not null && !session.Tls)
                            {
                                await writer.WriteLineAsync("250-STARTTLS");
                            }

                            if (User is not null)
                            {
                                await writer.WriteLineAsync($"250-AUTH {AuthMechanisms}");
                            }

                            await writer.WriteLineAsync("250 8BITMIME");
                            break;
                        case "STARTTLS" when TlsCertificate is not null && !session.Tls:
                            await writer.WriteLineAsync("220 2.0.0 Ready to start TLS");
                            var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                            await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = TlsCertificate }, token);
                            stream = ssl;
                            reader = new StreamReader(stream, new UTF8Encoding(false), false, 1024, leaveOpen: true);
                            writer = new StreamWriter(stream, new UTF8Encoding(false), 1024, leaveOpen: true) { NewLine = "\r\n", AutoFlush = true };
                            session.Tls = true;
                            session.Ehlo = null;
                            break;
                        case "AUTH":
                            await AuthenticateAsync(argument, reader, writer, session, token);
                            break;
                        case "MAIL":
                            if (User is not null && session.AuthenticatedUser is null)
                            {
                                await writer.WriteLineAsync("530 5.7.0 Authentication required");
                                break;
                            }

                            session.MailFrom = argument;
                            await Reply(SmtpStep.MailFrom, "250 2.1.0 Ok");
                            break;
                        case "RCPT":
                            if (await Reply(SmtpStep.RcptTo, "250 2.1.5 Ok"))
                            {
                                session.RcptTo.Add(argument);
                            }

                            break;
                        case "DATA":
                            if (!await Reply(SmtpStep.Data, "354 End data with <CR><LF>.<CR><LF>"))
                            {
                                break;
                            }

                            var data = new StringBuilder();
                            while (await reader.ReadLineAsync(token) is { } dataLine && dataLine != ".")
                            {
                                data.Append(dataLine.StartsWith("..", StringComparison.Ordinal) ? dataLine[1..] : dataLine).Append("\r\n");
                            }

                            if (await Reply(SmtpStep.EndOfData, $"250 2.0.0 Ok: queued as Q{index}"))
                            {
                                session.Data = data.ToString();
                                Accepted.Release();
                            }

                            break;
                        case "RSET":
                        case "NOOP":
                            await writer.WriteLineAsync("250 2.0.0 Ok");
                            break;
                        case "QUIT":
                            await writer.WriteLineAsync("221 2.0.0 Bye");
                            return;
                        default:
                            await writer.WriteLineAsync("502 5.5.2 Command not recognised");
                            break;
                    }
                }
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
        }
        catch (IOException)
        {
            // The client hung up (e.g. after a refused command): the session simply ends.
        }
        finally
        {
            SessionEnded.Release();
        }
    }

    private async Task AuthenticateAsync(string argument, StreamReader reader, StreamWriter writer, SmtpSession session, CancellationToken token)
    {
        var parts = argument.Split(' ', 2);
        string? user;
        string? password;
        if (parts[0].Equals("PLAIN", StringComparison.OrdinalIgnoreCase) && AuthMechanisms.Contains("PLAIN", StringComparison.Ordinal))
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(parts[1])).Split('\0');
            user = decoded[1];
            password = decoded[2];
        }
        else if (parts[0].Equals("LOGIN", StringComparison.OrdinalIgnoreCase) && AuthMechanisms.Contains("LOGIN", StringComparison.Ordinal))
        {
            await writer.WriteLineAsync("334 VXNlcm5hbWU6");
            user = Encoding.UTF8.GetString(Convert.FromBase64String(await reader.ReadLineAsync(token) ?? string.Empty));
            await writer.WriteLineAsync("334 UGFzc3dvcmQ6");
            password = Encoding.UTF8.GetString(Convert.FromBase64String(await reader.ReadLineAsync(token) ?? string.Empty));
        }
        else
        {
            await writer.WriteLineAsync("504 5.5.4 Unrecognized authentication type");
            return;
        }

        if (user == User && password == Password)
        {
            session.AuthenticatedUser = user;
            await writer.WriteLineAsync("235 2.7.0 Authentication successful");
        }
        else
        {
            await writer.WriteLineAsync("535 5.7.8 Authentication credentials invalid");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        Task[] sessions;
        lock (_sessions)
        {
            sessions = [.. _sessions];
        }

        await Task.WhenAll(sessions);
        _stop.Dispose();
    }
}
