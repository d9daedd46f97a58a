using Microsoft.Data.Sqlite;
using Workflows.Programmes.Outbox;

namespace Workflows.Programmes.Notifications;

/// <summary>A rendered mail: subject and plain-text body (Chinese, then an English line).</summary>
/// <param name="Subject">The subject line (one line).</param>
/// <param name="Body">The plain-text body.</param>
public sealed record MailText(string Subject, string Body);

/// <summary>
/// The values a template fills in. Every field is optional; a template uses the ones its event has. Amounts are
/// yuan, dates are shown in China time.
/// </summary>
public sealed record MailArgs
{
    /// <summary>Gets the recipient's name as addressed in the greeting.</summary>
    public string? RecipientName { get; init; }

    /// <summary>Gets the programme's Chinese title.</summary>
    public string? ProgrammeTitle { get; init; }

    /// <summary>Gets the programme id.</summary>
    public string? ProgrammeId { get; init; }

    /// <summary>Gets the cycle year.</summary>
    public int? CycleYear { get; init; }

    /// <summary>Gets the reference of the matter (application number, call number, notice number …).</summary>
    public string? Reference { get; init; }

    /// <summary>Gets an amount in yuan.</summary>
    public decimal? Amount { get; init; }

    /// <summary>Gets a date or deadline.</summary>
    public DateTimeOffset? Date { get; init; }

    /// <summary>Gets a second date (e.g. the end of a window whose start is <see cref="Date"/>).</summary>
    public DateTimeOffset? EndDate { get; init; }

    /// <summary>Gets the reason given (rejections, supplement requests, upheld objections).</summary>
    public string? Reason { get; init; }

    /// <summary>Gets further lines printed after the main text (failed rules, scores).</summary>
    public IReadOnlyList<string> Lines { get; init; } = [];
}

/// <summary>One mail template: a stable name and a renderer. Templates live in <see cref="MailTemplates"/> (core events) or beside the module that owns the event.</summary>
/// <param name="Name">Stable template name, stored with the mail, e.g. <c>application-submitted</c>.</param>
/// <param name="Renderer">Renders the text from the arguments.</param>
public sealed record MailTemplate(string Name, Func<MailArgs, MailText> Renderer)
{
    /// <summary>Renders the template.</summary>
    /// <param name="args">The arguments.</param>
    /// <returns>The text.</returns>
    public MailText Render(MailArgs args) => this.Renderer(args ?? new MailArgs());
}

/// <summary>A notification to queue: which template, to whom, with which values, under which idempotency key.</summary>
/// <param name="Template">The template.</param>
/// <param name="IdempotencyKey">Unique key of the event (e.g. <c>application/12/submitted</c>); a second notification with the key is ignored.</param>
/// <param name="To">The recipient.</param>
/// <param name="Args">The values.</param>
/// <param name="At">When the event happened (the mail's creation time).</param>
public sealed record Notification(MailTemplate Template, string IdempotencyKey, OutboxAddress To, MailArgs Args, DateTimeOffset At);

/// <summary>
/// The notification port: queues a mail for an event in the caller's transaction. The host supplies the sender that
/// delivers the outbox (SMTP, SendGrid, or none); the workflows only ever write to the outbox.
/// </summary>
public interface INotificationPort
{
    /// <summary>Renders the notification and enqueues it in the caller's transaction. Idempotent by key.</summary>
    /// <param name="connection">The caller's connection.</param>
    /// <param name="transaction">The caller's transaction; the mail commits or rolls back with it.</param>
    /// <param name="notification">The notification.</param>
    /// <returns>The outbox row id (of the existing row when the key was already queued).</returns>
    long Notify(SqliteConnection connection, SqliteTransaction transaction, Notification notification);
}

/// <summary>The default <see cref="INotificationPort"/>: renders the template and writes the mail to the SQLite outbox (<see cref="SqliteOutbox.Enqueue"/>).</summary>
public sealed class Notifier : INotificationPort
{
    /// <inheritdoc/>
    public long Notify(SqliteConnection connection, SqliteTransaction transaction, Notification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var text = notification.Template.Render(notification.Args);
        return SqliteOutbox.Enqueue(connection, transaction, new OutboxMail
        {
            IdempotencyKey = notification.IdempotencyKey,
            To = notification.To,
            Subject = text.Subject,
            TextBody = text.Body,
            TemplateName = notification.Template.Name,
            CreatedAt = notification.At,
        });
    }
}
