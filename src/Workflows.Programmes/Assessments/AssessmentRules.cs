namespace Workflows.Programmes.Assessments;

/// <summary>A base's standing between assessments.</summary>
/// <param name="ConsecutiveFails">Failing grades in a row (an excused absence neither breaks nor extends the run).</param>
/// <param name="IntakeSuspended">Whether intake of new firms is suspended.</param>
/// <param name="Revoked">Whether the recognition is revoked.</param>
public sealed record BaseStanding(int ConsecutiveFails, bool IntakeSuspended, bool Revoked)
{
    /// <summary>Gets the standing of a newly recognised base.</summary>
    public static BaseStanding Initial { get; } = new(0, false, false);
}

/// <summary>What happened in a period (or at any time, for accidents and rectifications).</summary>
public enum OutcomeKind
{
    /// <summary>The bureau gave a grade.</summary>
    Graded,

    /// <summary>No report by the deadline.</summary>
    NoShow,

    /// <summary>An accident was reported.</summary>
    Accident,

    /// <summary>The rectification of a suspended base was certified (整改合格经相关部门认定).</summary>
    RectificationCertified,
}

/// <summary>An outcome to evaluate.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="GradeCode">For <see cref="OutcomeKind.Graded"/>: the grade code.</param>
/// <param name="Excused">For <see cref="OutcomeKind.NoShow"/>: the bureau accepted a cause.</param>
/// <param name="DueToPoorManagement">For <see cref="OutcomeKind.Accident"/>: the finding that poor management caused it.</param>
/// <param name="Title">For a grade that confers a title: the title the bureau named.</param>
public sealed record AssessmentOutcome(OutcomeKind Kind, string? GradeCode = null, bool Excused = false, bool DueToPoorManagement = false, string? Title = null);

/// <summary>A consequence that was applied, with its clause.</summary>
/// <param name="Action">The action.</param>
/// <param name="Clause">Citation.</param>
/// <param name="TextZh">The clause's words.</param>
/// <param name="TextEn">English line.</param>
/// <param name="ProgrammeId">The reward programme, for eligibility.</param>
/// <param name="Title">The title conferred.</param>
public sealed record AppliedConsequence(ConsequenceAction Action, string Clause, string TextZh, string TextEn, string? ProgrammeId = null, string? Title = null);

/// <summary>The result of evaluating an outcome.</summary>
/// <param name="After">The standing afterwards.</param>
/// <param name="Consequences">The consequences applied, in order.</param>
public sealed record AssessmentDecision(BaseStanding After, IReadOnlyList<AppliedConsequence> Consequences);

/// <summary>Applies a scheme's consequence rules to an outcome. Pure: same inputs, same decision.</summary>
public static class AssessmentRules
{
    /// <summary>Evaluates an outcome.</summary>
    /// <param name="scheme">The scheme.</param>
    /// <param name="before">The standing before.</param>
    /// <param name="outcome">The outcome.</param>
    /// <returns>The decision.</returns>
    /// <exception cref="ArgumentException">The grade is not one of the scheme's.</exception>
    public static AssessmentDecision Evaluate(AssessmentScheme scheme, BaseStanding before, AssessmentOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(scheme);
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(outcome);
        if (before.Revoked)
        {
            return new AssessmentDecision(before, []);
        }

        var fired = new List<ConsequenceRule>();
        int fails = before.ConsecutiveFails;
        switch (outcome.Kind)
        {
            case OutcomeKind.Graded:
                AssessmentGrade grade = scheme.FindGrade(outcome.GradeCode)
                    ?? throw new ArgumentException($"grade '{outcome.GradeCode}' is not one of {scheme.Kind}'s grades ({string.Join(", ", scheme.Grades.Select(g => $"{g.Code} {g.LabelZh}"))})", nameof(outcome));
                switch (grade.Standing)
                {
                    case GradeStanding.Fail:
                        fails++;
                        fired.AddRange(Rules(scheme, before.IntakeSuspended && scheme.HasIntake ? ConsequenceTrigger.FailWhileSuspended : ConsequenceTrigger.Fail));
                        fired.AddRange(scheme.Rules.Where(r => r.Trigger == ConsequenceTrigger.ConsecutiveFails && fails >= r.Count));
                        break;
                    case GradeStanding.Exit:
                        fired.AddRange(Rules(scheme, ConsequenceTrigger.ExitDecided));
                        break;
                    default:
                        fails = 0;
                        if (before.IntakeSuspended)
                        {
                            fired.AddRange(Rules(scheme, ConsequenceTrigger.PassWhileSuspended));
                        }

                        fired.AddRange(Rules(scheme, ConsequenceTrigger.Passed));
                        if (grade.Standing == GradeStanding.Outstanding)
                        {
                            fired.AddRange(Rules(scheme, ConsequenceTrigger.Outstanding));
                        }

                        break;
                }

                break;
            case OutcomeKind.NoShow when !outcome.Excused:
                fired.AddRange(Rules(scheme, ConsequenceTrigger.NoShowWithoutCause));
                break;
            case OutcomeKind.Accident when outcome.DueToPoorManagement:
                fired.AddRange(Rules(scheme, ConsequenceTrigger.Accident));
                break;
            case OutcomeKind.RectificationCertified when before.IntakeSuspended:
                fired.AddRange(Rules(scheme, ConsequenceTrigger.PassWhileSuspended));
                break;
            default:
                break;
        }

        // A revocation ends the recognition: other consequences of the same outcome no longer matter.
        ConsequenceRule? revoke = fired.FirstOrDefault(r => r.Action == ConsequenceAction.Revoke);
        if (revoke is not null)
        {
            fired = [revoke];
        }

        bool suspended = before.IntakeSuspended;
        var applied = new List<AppliedConsequence>();
        foreach (ConsequenceRule rule in fired)
        {
            suspended = rule.Action switch
            {
                ConsequenceAction.SuspendIntake => true,
                ConsequenceAction.ResumeIntake => false,
                _ => suspended,
            };
            applied.Add(new AppliedConsequence(rule.Action, rule.Clause, rule.TextZh, rule.TextEn, rule.ProgrammeId, rule.Action == ConsequenceAction.ConferTitle ? outcome.Title : null));
        }

        return new AssessmentDecision(new BaseStanding(fails, suspended, revoke is not null), applied);
    }

    private static IEnumerable<ConsequenceRule> Rules(AssessmentScheme scheme, ConsequenceTrigger trigger) =>
        scheme.Rules.Where(r => r.Trigger == trigger);
}
