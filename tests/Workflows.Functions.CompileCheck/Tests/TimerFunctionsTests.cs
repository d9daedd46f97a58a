using Microsoft.Azure.Functions.Worker;
using Xunit;

namespace Workflows.Functions.CompileCheck.Tests;

/// <summary>Timer schedules are six-field cron, directly or through a %setting% that local.settings.sample.json defines.</summary>
public class TimerFunctionsTests
{
    public static TheoryData<string> TimerFunctionNames => [.. CompiledFunctions.WithTrigger<TimerTriggerAttribute>().Select(f => f.Name)];

    [Theory]
    [MemberData(nameof(TimerFunctionNames))]
    public void TimerSchedule_SixFieldCronOrSampleSetting(string name)
    {
        var function = CompiledFunctions.WithTrigger<TimerTriggerAttribute>().Single(f => f.Name == name);
        string schedule = function.TriggerAs<TimerTriggerAttribute>()!.Schedule;
        Assert.Equal(typeof(TimerInfo), function.TriggerParameter!.ParameterType);

        string cron = schedule;
        if (schedule.StartsWith('%'))
        {
            Assert.True(schedule.Length > 2 && schedule.EndsWith('%') && schedule.Count(c => c == '%') == 2, $"Timer '{name}': '{schedule}' must be a single %setting% reference.");
            string setting = schedule[1..^1];
            string sampleKey = setting.Replace(":", "__", StringComparison.Ordinal);
            var settings = RepositoryFiles.SampleSettings();
            Assert.True(settings.TryGetValue(sampleKey, out string? value), $"Timer '{name}' reads %{setting}%, but local.settings.sample.json has no \"{sampleKey}\" in Values.");
            cron = value ?? string.Empty;
        }

        Assert.True(SixFieldCron.Problem(cron) is null, $"Timer '{name}' ({schedule}): {SixFieldCron.Problem(cron)}");
    }

    [Fact]
    public void Timers_NotRunOnStartup()
    {
        // RunOnStartup fires the function at every host start, scale-out and restart (several times a day on
        // Consumption / Flex plans), not on the schedule; the schedules here must run on their cron only.
        var eager = CompiledFunctions.WithTrigger<TimerTriggerAttribute>().Where(f => f.TriggerAs<TimerTriggerAttribute>()!.RunOnStartup).Select(f => f.Name).ToList();

        Assert.True(eager.Count == 0, "Timers with RunOnStartup = true: " + string.Join(", ", eager));
    }
}
