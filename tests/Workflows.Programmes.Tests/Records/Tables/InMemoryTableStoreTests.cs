using Workflows.Durable.Testing;
using Workflows.Programmes.Records.Tables;

// Not Workflows.Programmes.Tests.Records.Tables: a Tests.Records namespace would shadow Workflows.Programmes.Records for other tests (Records.Db).
namespace Workflows.Programmes.Tests.RecordsTables;

/// <summary>
/// The service's rules that Azurite 3.37 does not enforce (see <see cref="AzuriteDeviationTests"/>), checked on the
/// in-memory store only, and what is particular to that store: copies, the clock, thread safety.
/// </summary>
public class InMemoryTableStoreTests
{
    private readonly InMemoryTableStore store = new();

    [Fact]
    public async Task Insert_252Properties_Accepted253_RefusedAsTooManyProperties()
    {
        var row = new TableRow("p", "ok");
        for (int i = 0; i < TableRules.MaxCustomProperties; i++)
        {
            row[$"P{i}"] = i;
        }

        await this.store.InsertAsync(row);
        var over = row.Clone();
        over["Extra"] = 1;
        var ex = await Assert.ThrowsAsync<TableInvalidInputException>(() => this.store.UpsertAsync(over));

        Assert.Equal("TooManyProperties", ex.ErrorCode);
        Assert.Contains("253", ex.Message, StringComparison.Ordinal);
        Assert.Equal(252, (await this.store.GetAsync("p", "ok"))!.Properties.Count);
    }

    [Theory]
    [InlineData("1abc")]
    [InlineData("a-b")]
    [InlineData("a b")]
    [InlineData("")]
    [InlineData("PartitionKey")]
    [InlineData("RowKey")]
    [InlineData("Timestamp")]
    public async Task Insert_InvalidPropertyName_RefusedNamingIt(string name)
    {
        var ex = await Assert.ThrowsAsync<TableInvalidInputException>(() => this.store.InsertAsync(new TableRow("p", "r") { [name] = 1 }));

        Assert.Equal("PropertyNameInvalid", ex.ErrorCode);
        Assert.Contains($"'{name}'", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, this.store.Count);
    }

    [Fact]
    public async Task Insert_PropertyName255Accepted256_RefusedAsTooLong()
    {
        await this.store.InsertAsync(new TableRow("p", "ok") { [new string('n', 255)] = 1, ["_under_score9"] = 2 });

        var ex = await Assert.ThrowsAsync<TableInvalidInputException>(() => this.store.InsertAsync(new TableRow("p", "r") { [new string('n', 256)] = 1 }));

        Assert.Equal("PropertyNameTooLong", ex.ErrorCode);
    }

    [Fact]
    public async Task Insert_DateTimeBefore1601_RefusedAsOutOfRange()
    {
        await this.store.InsertAsync(new TableRow("p", "ok") { ["At"] = TableRules.MinDateTime });

        var ex = await Assert.ThrowsAsync<TableInvalidInputException>(
            () => this.store.InsertAsync(new TableRow("p", "r") { ["At"] = TableRules.MinDateTime.AddTicks(-1) }));

        Assert.Equal("OutOfRangeInput", ex.ErrorCode);
        Assert.Contains("'At'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckKey_EveryBmpCharacter_RefusedExactlyWhenTableKeysEscapesIt()
    {
        // TableKeys.Encode also escapes '%', its own escape character, which the service allows.
        var refused = new List<char>();
        for (int i = 0; i <= char.MaxValue; i++)
        {
            char c = (char)i;
            if (char.IsSurrogate(c))
            {
                continue;
            }

            try
            {
                TableRules.CheckKey("a" + c, "RowKey");
            }
            catch (TableInvalidInputException)
            {
                refused.Add(c);
            }
        }

        var escaped = Enumerable.Range(0, char.MaxValue + 1).Select(i => (char)i)
            .Where(c => !char.IsSurrogate(c) && c != '%' && Workflows.Programmes.Azure.TableKeys.MustEscape(c));
        Assert.Equal(escaped, refused);
        Assert.Equal(4 + 32 + 33, refused.Count);
    }

    [Fact]
    public async Task Insert_DefaultValue_RefusedAsPropertiesNeedValue()
    {
        var ex = await Assert.ThrowsAsync<TableInvalidInputException>(() => this.store.InsertAsync(new TableRow("p", "r") { ["V"] = default }));

        Assert.Equal("PropertiesNeedValue", ex.ErrorCode);
    }

    [Fact]
    public async Task Insert_EntityOverOneMebibyte_RefusedAsEntityTooLarge()
    {
        var row = new TableRow("p", "big");
        for (int i = 0; i < 16; i++)
        {
            row[$"P{i}"] = new string('x', 32_768);
        }

        long size = TableRules.EntitySize(row);
        var ex = await Assert.ThrowsAsync<TableInvalidInputException>(() => this.store.InsertAsync(row));

        Assert.True(size > TableRules.MaxEntitySize);
        Assert.Equal("EntityTooLarge", ex.ErrorCode);
        Assert.Contains(size.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, this.store.Count);
    }

    [Fact]
    public void EntitySize_EveryType_CountedAsTheServiceDocumentsIt()
    {
        var row = new TableRow("pk", "row")
        {
            ["S"] = "abc",
            ["B"] = true,
            ["I"] = 1,
            ["L"] = 1L,
            ["D"] = 1.0,
            ["T"] = TableRules.MinDateTime,
            ["G"] = Guid.Empty,
            ["X"] = new byte[5],
        };

        // 4 + 2*(2+3) keys; each property 8 + 2 (one-letter name) + value: 10, 1, 4, 8, 8, 8, 16, 9.
        Assert.Equal(14 + (8 * 10) + 10 + 1 + 4 + 8 + 8 + 8 + 16 + 9, TableRules.EntitySize(row));
    }

    [Fact]
    public async Task Transaction_AcrossPartitions_RefusedNamingTheOperationAndWritesNothing()
    {
        var ex = await Assert.ThrowsAsync<TableInvalidInputException>(() => this.store.SubmitTransactionAsync(
        [
            TableOperation.Insert(new TableRow("p1", "a")),
            TableOperation.Insert(new TableRow("p1", "b")),
            TableOperation.Insert(new TableRow("p2", "c")),
        ]));

        Assert.Equal("CommandsInBatchActOnDifferentPartitions", ex.ErrorCode);
        Assert.Equal(2, ex.OperationIndex);
        Assert.StartsWith("Operation 2 of the transaction:", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, this.store.Count);
    }

    [Fact]
    public async Task Transaction_InvalidRowInside_RefusedNamingTheOperation()
    {
        var ex = await Assert.ThrowsAsync<TableInvalidInputException>(() => this.store.SubmitTransactionAsync(
        [
            TableOperation.Insert(new TableRow("p", "a")),
            TableOperation.Upsert(new TableRow("p", "b") { ["bad-name"] = 1 }),
        ]));

        Assert.Equal(1, ex.OperationIndex);
        Assert.Equal(0, this.store.Count);
    }

    [Fact]
    public async Task Get_ReturnsCopy_ChangingItOrTheInsertedRowChangesNothingStored()
    {
        byte[] bytes = [1, 2, 3];
        var row = new TableRow("p", "r") { ["S"] = "a", ["B"] = bytes };
        await this.store.InsertAsync(row);

        row["S"] = "changed";
        bytes[0] = 9;
        var read = await this.store.GetAsync("p", "r");
        read!["S"] = "changed too";
        read.ETag = "forged";

        var again = await this.store.GetAsync("p", "r");
        Assert.Equal("a", again!.GetString("S"));
        Assert.Equal(new byte[] { 1, 2, 3 }, again["B"].AsBinary());
        Assert.NotEqual("forged", again.ETag);
    }

    [Fact]
    public async Task Write_Timestamp_ComesFromTheClock()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 22, 1, 0, 0, TimeSpan.Zero));
        var timed = new InMemoryTableStore(clock);

        await timed.InsertAsync(new TableRow("p", "r"));
        clock.Advance(TimeSpan.FromMinutes(5));
        await timed.UpsertAsync(new TableRow("p", "s"));

        Assert.Equal(new DateTimeOffset(2026, 11, 22, 1, 0, 0, TimeSpan.Zero), (await timed.GetAsync("p", "r"))!.Timestamp);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 1, 5, 0, TimeSpan.Zero), (await timed.GetAsync("p", "s"))!.Timestamp);
    }

    [Fact]
    public async Task Insert_ManyThreadsAtOnce_AllRowsStoredWithDistinctETags()
    {
        var inserts = Enumerable.Range(0, 2_000).Select(i => Task.Run(() => this.store.InsertAsync(new TableRow($"p{i % 7}", $"{i:D5}") { ["I"] = i })));

        string[] etags = await Task.WhenAll(inserts);

        Assert.Equal(2_000, this.store.Count);
        Assert.Equal(2_000, etags.Distinct(StringComparer.Ordinal).Count());
        var p3 = await this.store.QueryAllAsync(new TableQuery("p3")).ToListAsync();
        Assert.Equal(Enumerable.Range(0, 2_000).Where(i => i % 7 == 3), p3.Select(r => r.GetInt32("I")!.Value));
    }

    [Fact]
    public async Task Insert_CancelledToken_ThrowsAndWritesNothing()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => this.store.InsertAsync(new TableRow("p", "r"), cancelled.Token));

        Assert.Equal(0, this.store.Count);
    }

    [Fact]
    public async Task Query_ForeignContinuation_RefusedClearly()
    {
        await Assert.ThrowsAsync<TableInvalidInputException>(() => this.store.QueryAsync(new TableQuery("p", Continuation: "a/b")));
    }

    [Fact]
    public void WithPrefix_LastCharacterIncremented_AndUFFFFRefused()
    {
        var query = TableQuery.WithPrefix("p", "app|");

        Assert.Equal("app|", query.RowKeyFrom);
        Assert.Equal("app}", query.RowKeyTo);
        Assert.Throws<ArgumentException>(() => TableQuery.WithPrefix("p", "a\uffff"));
    }

    [Fact]
    public void TableValue_WrongType_ThrowsNamingBothTypes()
    {
        TableValue value = "text";

        var ex = Assert.Throws<InvalidCastException>(() => value.AsInt64());

        Assert.Equal("The property holds String, not Int64.", ex.Message);
    }

    [Fact]
    public void TableValue_Binary_ComparedByContentAndCopied()
    {
        byte[] bytes = [1, 2];
        TableValue a = bytes;
        TableValue b = new byte[] { 1, 2 };
        bytes[0] = 7;

        Assert.Equal(a, b);
        Assert.NotEqual(a, TableValue.FromBinary([1, 3]));
        Assert.NotEqual(TableValue.FromInt32(1), TableValue.FromInt64(1));
        Assert.Throws<ArgumentNullException>(() => TableValue.FromString(null!));
    }

    [Fact]
    public void Row_MissingProperty_IndexerNamesItAndGettersReturnNull()
    {
        var row = new TableRow("p", "r");

        var ex = Assert.Throws<KeyNotFoundException>(() => row["Missing"]);

        Assert.Contains("'Missing'", ex.Message, StringComparison.Ordinal);
        Assert.Null(row.GetString("Missing"));
        Assert.Null(row.GetInt64("Missing"));
    }
}
