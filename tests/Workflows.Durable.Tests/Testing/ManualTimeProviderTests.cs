using Workflows.Durable.Testing;

namespace Workflows.Durable.Tests.Testing;

public class ManualTimeProviderTests
{
    [Fact]
    public void Advance_FiresDueTimersInOrderAndNotEarly()
    {
        var clock = new ManualTimeProvider();
        var fired = new List<string>();
        using ITimer late = clock.CreateTimer(_ => fired.Add("late"), null, TimeSpan.FromDays(60), Timeout.InfiniteTimeSpan);
        using ITimer early = clock.CreateTimer(_ => fired.Add("early"), null, TimeSpan.FromDays(30), Timeout.InfiniteTimeSpan);
        clock.Advance(TimeSpan.FromDays(29));
        Assert.Empty(fired);
        clock.Advance(TimeSpan.FromDays(40));
        Assert.Equal(["early", "late"], fired);
        Assert.Equal(ManualTimeProvider.DefaultStart.AddDays(69), clock.GetUtcNow());
    }

    [Fact]
    public void Advance_PeriodicTimer_CollapsesMissedPeriodsIntoOneCallbackPerMove()
    {
        var clock = new ManualTimeProvider();
        int count = 0;
        using ITimer timer = clock.CreateTimer(_ => count++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        clock.Advance(TimeSpan.FromDays(365));
        Assert.Equal(1, count);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, count);
    }

    [Fact]
    public void Dispose_And_Change_StopOrMoveTheTimer()
    {
        var clock = new ManualTimeProvider();
        int a = 0, b = 0;
        ITimer first = clock.CreateTimer(_ => a++, null, TimeSpan.FromMinutes(1), Timeout.InfiniteTimeSpan);
        using ITimer second = clock.CreateTimer(_ => b++, null, TimeSpan.FromMinutes(1), Timeout.InfiniteTimeSpan);
        first.Dispose();
        second.Change(TimeSpan.FromMinutes(5), Timeout.InfiniteTimeSpan);
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal((0, 0), (a, b));
        clock.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal((0, 1), (a, b));
        Assert.Equal(0, clock.ActiveTimerCount);
    }

    [Fact]
    public void SetUtcNow_Backwards_Throws()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2027, 5, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.SetUtcNow(new DateTimeOffset(2027, 4, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.Advance(TimeSpan.FromTicks(-1)));
        clock.SetUtcNow(new DateTimeOffset(2027, 6, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(new DateTimeOffset(2027, 6, 1, 0, 0, 0, TimeSpan.Zero), clock.GetUtcNow());
    }

    [Fact]
    public async Task TaskDelay_WithTheProvider_CompletesOnlyWhenAdvanced()
    {
        var clock = new ManualTimeProvider();
        long start = clock.GetTimestamp();
        Task delay = Task.Delay(TimeSpan.FromDays(30), clock);
        clock.Advance(TimeSpan.FromDays(29));
        Assert.False(delay.IsCompleted);
        clock.Advance(TimeSpan.FromDays(1));
        await delay.WaitAsync(TestUtil.Timeout);
        Assert.Equal(TimeSpan.FromDays(30), clock.GetElapsedTime(start));
    }

    [Fact]
    public void Callback_ThatCreatesAnotherDueTimer_FiresItInTheSameMove()
    {
        var clock = new ManualTimeProvider();
        var order = new List<int>();
        ITimer? inner = null;
        using ITimer outer = clock.CreateTimer(
            _ =>
            {
                order.Add(1);
                inner = clock.CreateTimer(_ => order.Add(2), null, TimeSpan.Zero, Timeout.InfiniteTimeSpan);
            },
            null,
            TimeSpan.FromHours(1),
            Timeout.InfiniteTimeSpan);
        clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal([1, 2], order);
        inner?.Dispose();
    }
}
