using Workflows.Programmes.Records.Tables;

// Not Workflows.Programmes.Tests.Records.Tables: a Tests.Records namespace would shadow Workflows.Programmes.Records for other tests (Records.Db).
namespace Workflows.Programmes.Tests.RecordsTables;

/// <summary>
/// Where Azurite 3.37 (eng/azurite) accepts what the Azure Table service refuses. Code must not rely on any of it:
/// <see cref="InMemoryTableStore"/> refuses each case as the service does (<see cref="InMemoryTableStoreTests"/>).
/// A failure here means Azurite changed; then move the case into the conformance suite.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzuriteDeviationTests(AzuriteFixture azurite)
{
    private readonly string pk = "dev-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task Transaction_AcrossPartitions_AzuriteAppliesIt()
    {
        await azurite.Store.SubmitTransactionAsync(
        [
            TableOperation.Insert(new TableRow(this.pk, "a")),
            TableOperation.Insert(new TableRow(this.pk + "-other", "b")),
        ]);

        Assert.NotNull(await azurite.Store.GetAsync(this.pk + "-other", "b"));
    }

    [Fact]
    public async Task Insert_253Properties_AzuriteAcceptsIt()
    {
        var row = new TableRow(this.pk, "many");
        for (int i = 0; i <= TableRules.MaxCustomProperties; i++)
        {
            row[$"P{i}"] = i;
        }

        await azurite.Store.InsertAsync(row);

        Assert.Equal(253, (await azurite.Store.GetAsync(this.pk, "many"))!.Properties.Count);
    }

    [Theory]
    [InlineData("1abc")]
    [InlineData("a-b")]
    public async Task Insert_PropertyNameNotAnIdentifier_AzuriteAcceptsIt(string name)
    {
        await azurite.Store.InsertAsync(new TableRow(this.pk, "n") { [name] = 1 });

        Assert.Equal(1, (await azurite.Store.GetAsync(this.pk, "n"))!.GetInt32(name));
    }

    [Fact]
    public async Task Insert_DateTimeBefore1601_AzuriteAcceptsIt()
    {
        var at = new DateTimeOffset(1600, 12, 31, 0, 0, 0, TimeSpan.Zero);

        await azurite.Store.InsertAsync(new TableRow(this.pk, "old") { ["At"] = at });

        Assert.Equal(at, (await azurite.Store.GetAsync(this.pk, "old"))!.GetDateTime("At"));
    }

    [Fact]
    public async Task Insert_EntityOverOneMebibyte_AzuriteAcceptsItOnInsertOnly()
    {
        // Azurite checks the 1 MiB entity limit on update and upsert (as UTF-8 JSON), and only the 4 MiB body limit on insert.
        var row = new TableRow(this.pk, "big");
        for (int i = 0; i < 20; i++)
        {
            row[$"P{i}"] = new string('补', 30_000);
        }

        await azurite.Store.InsertAsync(row);

        Assert.Equal(20, (await azurite.Store.GetAsync(this.pk, "big"))!.Properties.Count);
        Assert.True(TableRules.EntitySize(row) > TableRules.MaxEntitySize);
    }
}
