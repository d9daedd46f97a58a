using Workflows.Policies;
using Workflows.Programmes.Calls;

namespace Workflows.Programmes.Notices;

/// <summary>Input of the PublicNotice orchestration.</summary>
/// <param name="CallId">The call whose awards are noticed.</param>
/// <param name="Settings">The call's settings (length, day kind, start).</param>
public sealed record NoticeInput(long CallId, CallSettings Settings);

/// <summary>The opened notice.</summary>
/// <param name="NoticeId">The notice.</param>
/// <param name="StartsAt">Start of the first day (China time).</param>
/// <param name="EndsAt">End of the last day (24:00 China time): objections are refused from then on.</param>
/// <param name="Entries">Entries listed.</param>
public sealed record NoticeInfo(long NoticeId, DateTimeOffset StartsAt, DateTimeOffset EndsAt, int Entries);

/// <summary>Output of the PublicNotice orchestration.</summary>
/// <param name="NoticeId">The notice.</param>
/// <param name="Passed">Entries that passed.</param>
/// <param name="Removed">Entries removed after an upheld objection.</param>
public sealed record NoticeResult(long NoticeId, int Passed, int Removed);

/// <summary>Payload of <see cref="ProgrammeEvents.ObjectionDecision"/>.</summary>
/// <param name="ObjectionId">The objection.</param>
/// <param name="Upheld">True: the entry is removed; false: dismissed, the entry proceeds.</param>
/// <param name="ActorId">The officer.</param>
/// <param name="Reason">The reason (told to the applicant when upheld).</param>
public sealed record ObjectionDecisionEvent(long ObjectionId, bool Upheld, string ActorId, string Reason);

/// <summary>Input of <see cref="DecideObjectionActivity"/>.</summary>
/// <param name="NoticeId">The notice.</param>
/// <param name="Decision">The decision.</param>
/// <param name="At">When (orchestration time).</param>
public sealed record DecideObjectionInput(long NoticeId, ObjectionDecisionEvent Decision, DateTimeOffset At);

/// <summary>Input of <see cref="CloseNoticeActivity"/>.</summary>
/// <param name="NoticeId">The notice.</param>
/// <param name="At">When (orchestration time).</param>
public sealed record CloseNoticeInput(long NoticeId, DateTimeOffset At);

/// <summary>A filed objection.</summary>
/// <param name="ObjectionId">The id.</param>
/// <param name="NoticeId">The notice.</param>
/// <param name="ApplicationId">The entry objected to.</param>
/// <param name="FiledBy">Who filed it.</param>
/// <param name="FiledAt">When.</param>
/// <param name="Reason">The objection.</param>
/// <param name="Status"><c>open</c>, <c>upheld</c> or <c>dismissed</c>.</param>
/// <param name="DecidedBy">The officer who decided.</param>
/// <param name="DecidedAt">When.</param>
/// <param name="DecisionReason">The reason of the decision.</param>
public sealed record ObjectionRecord(long ObjectionId, long NoticeId, long ApplicationId, string FiledBy, DateTimeOffset FiledAt, string Reason, string Status,
    string? DecidedBy, DateTimeOffset? DecidedAt, string? DecisionReason);

/// <summary>One line of a notice.</summary>
/// <param name="ApplicationId">The application.</param>
/// <param name="ApplicantId">The applicant.</param>
/// <param name="ApplicantName">The applicant's name as published.</param>
/// <param name="Amount">The proposed amount.</param>
/// <param name="Status"><c>listed</c>, <c>held</c>, <c>removed</c> or <c>passed</c>.</param>
public sealed record NoticeEntryView(long ApplicationId, string ApplicantId, string ApplicantName, decimal Amount, string Status);

/// <summary>A notice with its entries and objections.</summary>
/// <param name="NoticeId">The id.</param>
/// <param name="CallId">The call.</param>
/// <param name="ProgrammeId">The programme.</param>
/// <param name="ProgrammeTitle">Its Chinese title.</param>
/// <param name="CycleYear">The cycle year.</param>
/// <param name="StartsAt">Start.</param>
/// <param name="EndsAt">End (objections refused from then on).</param>
/// <param name="LengthDays">Length in days.</param>
/// <param name="DayKind">Natural or working days.</param>
/// <param name="Status"><c>running</c>, <c>ended</c> or <c>completed</c>.</param>
/// <param name="Entries">The entries.</param>
/// <param name="Objections">The objections.</param>
public sealed record NoticeView(long NoticeId, long CallId, string ProgrammeId, string ProgrammeTitle, int CycleYear, DateTimeOffset StartsAt, DateTimeOffset EndsAt,
    int LengthDays, DayKind DayKind, string Status, IReadOnlyList<NoticeEntryView> Entries, IReadOnlyList<ObjectionRecord> Objections);
