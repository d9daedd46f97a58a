using Workflows.Programmes.Assessments;
using Workflows.Programmes.Batches;
using Workflows.Programmes.Notifications;

namespace Workflows.Programmes.Tests.Assessments;

/// <summary>A date meant as the first day ("自…起", "from …") is printed as that day in China time, not the day before.</summary>
public sealed class AssessmentMailDateTests
{
    // 2026-07-01 00:00 China time (UTC+8): the start of the day, which the end-of-day rule would print as 6月30日.
    private static readonly DateTimeOffset ChinaMidnight = new(2026, 6, 30, 16, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> FromDateTemplates => new()
    {
        nameof(AssessmentMail.Recognised), nameof(AssessmentMail.IntakeSuspended), nameof(AssessmentMail.IntakeResumed),
        nameof(AssessmentMail.Revoked), nameof(AssessmentMail.FirmsTakenOver),
    };

    [Theory]
    [MemberData(nameof(FromDateTemplates))]
    public void Render_FromDateAtChinaMidnight_PrintsThatDay(string name)
    {
        var template = (MailTemplate)typeof(AssessmentMail).GetField(name)!.GetValue(null)!;

        var text = template.Render(new MailArgs { ProgrammeTitle = "众创空间", Reference = "B-1", Date = ChinaMidnight, Reason = "某园区", Lines = ["甲"] });

        Assert.Contains("自2026年7月1日起", text.Body, StringComparison.Ordinal);
        Assert.Contains("from 2026-07-01", text.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("6月30日", text.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_DeferredPayoutAtChinaMidnight_PrintsThePayoutDay()
    {
        var text = BatchMail.Deferred.Render(new MailArgs { ProgrammeTitle = "总部企业", CycleYear = 2026, Amount = 100_000m, EndDate = ChinaMidnight, Reason = "004" });

        Assert.Contains("将于2026年7月1日起", text.Body, StringComparison.Ordinal);
        Assert.Contains("from 2026-07-01", text.Body, StringComparison.Ordinal);
    }
}
