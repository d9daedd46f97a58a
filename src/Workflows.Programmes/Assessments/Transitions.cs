using Microsoft.Data.Sqlite;
using Workflows.Programmes.Audit;
using Workflows.Programmes.Notifications;
using Workflows.Programmes.Outbox;

namespace Workflows.Programmes.Assessments;

/// <summary>
/// Shared by the batch, claim, assessment and supervision modules: a mail template built from a Chinese and an
/// English line, and the audit-plus-mail pair every transition writes in its own transaction.
/// </summary>
internal static class Transitions
{
    /// <summary>Creates a template whose subject and body carry a Chinese line and an English line.</summary>
    /// <param name="name">Template name (one per event).</param>
    /// <param name="subjectZh">Chinese subject.</param>
    /// <param name="bodyZh">Chinese body.</param>
    /// <param name="bodyEn">English line.</param>
    /// <returns>The template.</returns>
    public static MailTemplate Template(string name, Func<MailArgs, string> subjectZh, Func<MailArgs, string> bodyZh, Func<MailArgs, string> bodyEn) =>
        new(name, a =>
        {
            string greeting = string.IsNullOrWhiteSpace(a.RecipientName) ? string.Empty : a.RecipientName + "：\n\n";
            string lines = a.Lines.Count == 0 ? string.Empty : "\n" + string.Join("\n", a.Lines.Select(l => "· " + l)) + "\n";
            return new MailText(subjectZh(a), $"{greeting}{bodyZh(a)}\n{lines}\n{bodyEn(a)}\n");
        });

    /// <summary>Appends an audit entry and queues a mail in the caller's transaction.</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="transaction">The transaction of the state change.</param>
    /// <param name="notifier">The notification port.</param>
    /// <param name="key">Idempotency key of the transition (the same key twice writes nothing more).</param>
    /// <param name="at">When.</param>
    /// <param name="actor">Who.</param>
    /// <param name="action">What, e.g. <c>assessment.revoked</c>.</param>
    /// <param name="subjects">Audit subjects.</param>
    /// <param name="reason">Why (clause or officer's reason).</param>
    /// <param name="details">Details object (serialized).</param>
    /// <param name="mails">Mails to queue: template, recipient and arguments.</param>
    public static void Record(
        SqliteConnection connection,
        SqliteTransaction transaction,
        INotificationPort notifier,
        string key,
        DateTimeOffset at,
        Actor actor,
        string action,
        IReadOnlyList<string> subjects,
        string? reason,
        object? details,
        params (MailTemplate Template, OutboxAddress To, MailArgs Args)[] mails)
    {
        AuditTrail.Append(connection, transaction, new AuditEntry(key, at, actor, action, subjects, reason, details is null ? null : AuditTrail.ToDetails(details)));
        int n = 0;
        foreach ((MailTemplate template, OutboxAddress to, MailArgs args) in mails)
        {
            notifier.Notify(connection, transaction, new Notification(template, $"{key}/mail/{n++}/{to.Address}", to, args, at));
        }
    }
}
