namespace Workflows.Functions.Tests;

/// <summary>
/// src/Workflows.Functions/Program.cs cannot run here; these check the order its registrations depend on (the shared
/// service registers with TryAdd, so what the host wants to win must come first; the SendGrid swap needs the shared
/// sender registered already; the guards must run before anything is built).
/// </summary>
public class ProgramSourceTests
{
    private static readonly string Program = FunctionsSource.Read("src", "Workflows.Functions", "Program.cs");

    [Theory]
    [InlineData("FunctionsSettings.EnsureRecordsStorageAllowed(config, Environment.GetEnvironmentVariable);")]
    [InlineData("FunctionsSettings.EnsureSigningKeyConfigured(config, Environment.GetEnvironmentVariable);")]
    public void Guards_RunBeforeAnyServiceIsRegistered(string guard)
    {
        Assert.True(Position(guard) < Position("services.AddSingleton(TimeProvider.System);"), $"{guard} does not run before the registrations.");
    }

    [Theory]
    [InlineData("services.AddSingleton(TimeProvider.System);")]
    [InlineData("services.AddSingleton(sp => new ProgrammeRecords(")]
    [InlineData("services.AddSingleton(_ => SigningKeyStore.LoadOrCreate(")]
    public void HostDefaults_AreRegisteredBeforeTheSharedServicesTryAdds(string registration)
    {
        Assert.True(Position(registration) < Position("services.AddWorkflowsService(config);"), $"{registration} comes after AddWorkflowsService, whose TryAdd would win.");
    }

    [Fact]
    public void SendGridSwap_ComesAfterTheSharedSenderIsRegistered()
    {
        Assert.True(Position("SendGridOutboxSender.UseForSendGrid(services);") > Position("services.AddWorkflowsService(config);"));
    }

    [Theory]
    [InlineData("services.AddSingleton<IDocumentStore>(sp => new BlobDocumentStore(")]
    [InlineData("services.AddSingleton<DurableTaskClient>(sp => sp.GetRequiredService<DurableClientBridge>());")]
    [InlineData("services.AddSingleton<SharedApiPipeline>();")]
    [InlineData("builder.ConfigureFunctionsWebApplication();")]
    public void Program_RegistersTheFunctionsPieces(string registration)
    {
        Assert.True(Position(registration) < Position("builder.Build().Run();"), $"{registration} is not registered before the host is built.");
    }

    private static int Position(string text)
    {
        int at = Program.IndexOf(text, StringComparison.Ordinal);
        Assert.True(at >= 0, $"Program.cs no longer contains `{text}`.");
        return at;
    }
}
