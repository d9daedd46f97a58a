using Workflows.Programmes.Azure;

namespace Workflows.Programmes.Tests.Azure;

public class SendGridResponsesTests
{
    private static readonly DateTimeOffset Now = new(2025, 5, 6, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Classify_Accepted202_SentWithMessageId()
    {
        var result = SendGridResponses.Classify(202, null, " msg-1 ", null, Now);

        Assert.Equal(new MailDelivery(MailDeliveryKind.Sent, null, null, "msg-1"), result);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(503)]
    public void Classify_ThrottledOrServerError_TransientWithRetryAfterSeconds(int status)
    {
        var result = SendGridResponses.Classify(status, "120", null, "busy", Now);

        Assert.Equal(MailDeliveryKind.Transient, result.Kind);
        Assert.Equal(TimeSpan.FromMinutes(2), result.RetryAfter);
        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(413)]
    public void Classify_OtherClientError_PermanentWithBody(int status)
    {
        var result = SendGridResponses.Classify(status, "30", null, "{\"errors\":[{\"message\":\"bad from\"}]}", Now);

        Assert.Equal(MailDeliveryKind.Permanent, result.Kind);
        Assert.Null(result.RetryAfter);
        Assert.Contains("bad from", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseRetryAfter_HttpDate_DelayFromNow()
    {
        Assert.Equal(TimeSpan.FromSeconds(90), SendGridResponses.ParseRetryAfter("Tue, 06 May 2025 01:01:30 GMT", Now));
    }

    [Theory]
    [InlineData("Tue, 06 May 2025 00:00:00 GMT", 0)]
    [InlineData("soon", -1)]
    [InlineData("", -1)]
    [InlineData("-5", -1)]
    public void ParseRetryAfter_PastOrUnreadable_ZeroOrNull(string header, int expectedSeconds)
    {
        TimeSpan? expected = expectedSeconds < 0 ? null : TimeSpan.FromSeconds(expectedSeconds);

        Assert.Equal(expected, SendGridResponses.ParseRetryAfter(header, Now));
    }

    [Fact]
    public void Classify_LongBody_TruncatedError()
    {
        var result = SendGridResponses.Classify(400, null, null, new string('x', 2000), Now);

        Assert.True(result.Error!.Length < SendGridResponses.MaxErrorLength + 40);
    }
}
