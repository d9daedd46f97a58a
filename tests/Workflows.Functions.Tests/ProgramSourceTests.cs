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
    [InlineData("services.AddSingleton(sp => new ProgrammeRecords(sp.GetRequiredService<RecordsReplica>(), schemas: sp.GetServices<RecordsSchema>()));")]
    [InlineData("services.AddSingleton(sp => new ProgrammeRecords(FunctionsSettings.RecordsDatabase(config), schemas: sp.GetServices<RecordsSchema>()));")]
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

    [Fact]
    public void Records_TablesStoreIsAReplicaOverTheAzureTableOfTheSetting()
    {
        int branch = Position("if (recordsStore == RecordsStore.Tables)");
        int fileBranch = Position("else\n{\n    services.AddSingleton(sp => new ProgrammeRecords(FunctionsSettings.RecordsDatabase(config)");
        string tables = Program[branch..fileBranch];

        Assert.True(Position("var recordsStore = FunctionsSettings.Records(config, Environment.GetEnvironmentVariable);") < branch, "The store is not read before the records are registered.");
        Assert.Contains("string recordsTable = FunctionsSettings.RecordsTable(config);", tables, StringComparison.Ordinal);
        Assert.Contains("services.AddSingleton(_ => StorageClients.Table(config, recordsTable));", tables, StringComparison.Ordinal);
        Assert.Contains("var store = new AzureTableStore(sp.GetRequiredService<TableClient>());", tables, StringComparison.Ordinal);
        Assert.True(
            tables.IndexOf("store.CreateTableIfNotExistsAsync()", StringComparison.Ordinal) is > 0 and var create
            && create < tables.IndexOf("return new RecordsReplica(", StringComparison.Ordinal),
            "The table is not created before the replica is built over it.");
        Assert.Contains("FunctionsSettings.RecordsLocalCopy(config, Environment.GetEnvironmentVariable)", tables, StringComparison.Ordinal);
        Assert.Contains("InstanceId = FunctionsSettings.InstanceId(Environment.GetEnvironmentVariable)", tables, StringComparison.Ordinal);
        Assert.Contains("Logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger<RecordsReplica>()", tables, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("? new TableClient(cs, tableName)")]
    [InlineData(": new TableClient(new Uri($\"https://{AccountName(config)}.table.core.windows.net\"), tableName, new DefaultAzureCredential());")]
    public void StorageClients_TableFromTheFunctionsStorageSetting(string client)
    {
        Assert.True(Position(client) > Position("public static TableClient Table(IConfiguration config, string tableName) =>"), $"{client} is not how the records table client is made.");
    }

    private static int Position(string text)
    {
        int at = Program.IndexOf(text, StringComparison.Ordinal);
        Assert.True(at >= 0, $"Program.cs no longer contains `{text}`.");
        return at;
    }
}
