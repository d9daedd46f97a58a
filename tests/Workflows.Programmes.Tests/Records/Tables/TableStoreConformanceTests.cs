using Workflows.Programmes.Azure;
using Workflows.Programmes.Records.Tables;

// Not Workflows.Programmes.Tests.Records.Tables: a Tests.Records namespace would shadow Workflows.Programmes.Records for other tests (Records.Db).
namespace Workflows.Programmes.Tests.RecordsTables;

/// <summary>
/// What every <see cref="ITableStore"/> must do, as the Azure Table service does it. Run against the in-memory store and
/// against Azurite; the Functions host's Azure.Data.Tables adapter and the Table record stores rely on exactly this.
/// Each test works in a partition of its own, so the Azurite run can share one table.
/// </summary>
public abstract class TableStoreConformanceTests
{
    protected TableStoreConformanceTests()
    {
        this.Pk = "conf-" + Guid.NewGuid().ToString("N");
    }

    protected abstract ITableStore Store { get; }

    protected string Pk { get; }

    [Fact]
    public async Task Insert_NewRow_GetReturnsItWithETagAndTimestamp()
    {
        var row = new TableRow(this.Pk, "r1") { ["Name"] = "海淀区 enterprise", ["AmountFen"] = 1_234_500L };

        string etag = await this.Store.InsertAsync(row);
        var read = await this.Store.GetAsync(this.Pk, "r1");

        Assert.NotNull(read);
        Assert.False(string.IsNullOrEmpty(etag));
        Assert.Equal(etag, read.ETag);
        Assert.NotNull(read.Timestamp);
        Assert.Equal("海淀区 enterprise", read.GetString("Name"));
        Assert.Equal(1_234_500L, read.GetInt64("AmountFen"));
        Assert.Equal(2, read.Properties.Count);
    }

    [Fact]
    public async Task Get_MissingRow_ReturnsNull()
    {
        Assert.Null(await this.Store.GetAsync(this.Pk, "nothing-here"));
    }

    [Fact]
    public async Task Insert_Twice_ThrowsEntityExistsAndKeepsFirst()
    {
        await this.Store.InsertAsync(new TableRow(this.Pk, "r1") { ["V"] = 1 });

        var ex = await Assert.ThrowsAsync<TableEntityExistsException>(() => this.Store.InsertAsync(new TableRow(this.Pk, "r1") { ["V"] = 2 }));

        Assert.Equal(409, ex.Status);
        Assert.Equal("EntityAlreadyExists", ex.ErrorCode);
        Assert.Contains("r1", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await this.Store.GetAsync(this.Pk, "r1"))!.GetInt32("V"));
    }

    [Fact]
    public async Task Update_CurrentETag_ReplacesWholeRowAndChangesETag()
    {
        string etag = await this.Store.InsertAsync(new TableRow(this.Pk, "r1") { ["A"] = "a", ["B"] = "b" });

        string updated = await this.Store.UpdateAsync(new TableRow(this.Pk, "r1") { ["A"] = "a2" }, etag);

        var read = await this.Store.GetAsync(this.Pk, "r1");
        Assert.NotEqual(etag, updated);
        Assert.Equal(updated, read!.ETag);
        Assert.Equal("a2", read.GetString("A"));
        Assert.Null(read.GetString("B"));
    }

    [Fact]
    public async Task Update_StaleETag_ThrowsConditionFailedAndKeepsRow()
    {
        string first = await this.Store.InsertAsync(new TableRow(this.Pk, "r1") { ["V"] = 1 });
        await this.Store.UpdateAsync(new TableRow(this.Pk, "r1") { ["V"] = 2 }, first);

        var ex = await Assert.ThrowsAsync<TableConditionFailedException>(() => this.Store.UpdateAsync(new TableRow(this.Pk, "r1") { ["V"] = 3 }, first));

        Assert.Equal(412, ex.Status);
        Assert.Equal("UpdateConditionNotSatisfied", ex.ErrorCode);
        Assert.Equal(2, (await this.Store.GetAsync(this.Pk, "r1"))!.GetInt32("V"));
    }

    [Fact]
    public async Task Update_AnyETag_ReplacesUnconditionally()
    {
        await this.Store.InsertAsync(new TableRow(this.Pk, "r1") { ["V"] = 1 });

        await this.Store.UpdateAsync(new TableRow(this.Pk, "r1") { ["V"] = 5 }, TableOperation.AnyETag);

        Assert.Equal(5, (await this.Store.GetAsync(this.Pk, "r1"))!.GetInt32("V"));
    }

    [Fact]
    public async Task Update_MissingRow_ThrowsNotFound()
    {
        var ex = await Assert.ThrowsAsync<TableEntityNotFoundException>(() => this.Store.UpdateAsync(new TableRow(this.Pk, "none") { ["V"] = 1 }, TableOperation.AnyETag));

        Assert.Equal(404, ex.Status);
        Assert.Equal("ResourceNotFound", ex.ErrorCode);
        Assert.Null(await this.Store.GetAsync(this.Pk, "none"));
    }

    [Fact]
    public async Task Update_ConcurrentWritersWithSameETag_ExactlyOneWins()
    {
        string etag = await this.Store.InsertAsync(new TableRow(this.Pk, "counter") { ["N"] = 0L });

        var attempts = Enumerable.Range(1, 8).Select(async i =>
        {
            try
            {
                await this.Store.UpdateAsync(new TableRow(this.Pk, "counter") { ["N"] = (long)i }, etag);
                return true;
            }
            catch (TableConditionFailedException)
            {
                return false;
            }
        }).ToList();
        bool[] won = await Task.WhenAll(attempts);

        Assert.Equal(1, won.Count(w => w));
        long stored = (await this.Store.GetAsync(this.Pk, "counter"))!.GetInt64("N")!.Value;
        Assert.Equal(Array.IndexOf(won, true) + 1, stored);
    }

    [Fact]
    public async Task Upsert_MissingRow_Inserts()
    {
        string etag = await this.Store.UpsertAsync(new TableRow(this.Pk, "r1") { ["V"] = "new" });

        var read = await this.Store.GetAsync(this.Pk, "r1");
        Assert.Equal(etag, read!.ETag);
        Assert.Equal("new", read.GetString("V"));
    }

    [Fact]
    public async Task Upsert_ExistingRow_ReplacesWholeRowAndChangesETag()
    {
        string first = await this.Store.InsertAsync(new TableRow(this.Pk, "r1") { ["A"] = "a", ["B"] = true });

        string second = await this.Store.UpsertAsync(new TableRow(this.Pk, "r1") { ["A"] = "a2" });

        var read = await this.Store.GetAsync(this.Pk, "r1");
        Assert.NotEqual(first, second);
        Assert.Equal("a2", read!.GetString("A"));
        Assert.False(read.Properties.ContainsKey("B"));
    }

    [Fact]
    public async Task Write_SameContentTwice_ETagStillChanges()
    {
        string first = await this.Store.UpsertAsync(new TableRow(this.Pk, "r1") { ["V"] = 1 });
        string second = await this.Store.UpsertAsync(new TableRow(this.Pk, "r1") { ["V"] = 1 });
        string third = await this.Store.UpdateAsync(new TableRow(this.Pk, "r1") { ["V"] = 1 }, second);

        Assert.Equal(3, new[] { first, second, third }.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task Delete_CurrentETag_RemovesRow()
    {
        string etag = await this.Store.InsertAsync(new TableRow(this.Pk, "r1") { ["V"] = 1 });

        await this.Store.DeleteAsync(this.Pk, "r1", etag);

        Assert.Null(await this.Store.GetAsync(this.Pk, "r1"));
    }

    [Fact]
    public async Task Delete_StaleETag_ThrowsConditionFailedAndKeepsRow()
    {
        string first = await this.Store.InsertAsync(new TableRow(this.Pk, "r1") { ["V"] = 1 });
        await this.Store.UpsertAsync(new TableRow(this.Pk, "r1") { ["V"] = 2 });

        await Assert.ThrowsAsync<TableConditionFailedException>(() => this.Store.DeleteAsync(this.Pk, "r1", first));

        Assert.Equal(2, (await this.Store.GetAsync(this.Pk, "r1"))!.GetInt32("V"));
    }

    [Fact]
    public async Task Delete_MissingRow_ThrowsNotFound()
    {
        var ex = await Assert.ThrowsAsync<TableEntityNotFoundException>(() => this.Store.DeleteAsync(this.Pk, "none", TableOperation.AnyETag));

        Assert.Equal(404, ex.Status);
    }

    [Fact]
    public async Task Query_RowKeyRange_ReturnsRangeInOrdinalOrder()
    {
        string[] keys = ["b|02", "a|01", "B|01", "b|10", "b|01", "b|", "c", "b~", "bb", "北京"];
        foreach (string key in keys)
        {
            await this.Store.InsertAsync(new TableRow(this.Pk, key) { ["K"] = key });
        }

        await this.Store.InsertAsync(new TableRow(this.Pk + "x", "b|05"));

        var page = await this.Store.QueryAsync(new TableQuery(this.Pk, "b|", "b}"));
        var all = await this.Store.QueryAsync(new TableQuery(this.Pk));

        Assert.Equal(["b|", "b|01", "b|02", "b|10"], page.Rows.Select(r => r.RowKey));
        Assert.Null(page.Continuation);
        Assert.All(page.Rows, r => Assert.False(string.IsNullOrEmpty(r.ETag)));
        Assert.Equal(keys.Order(StringComparer.Ordinal), all.Rows.Select(r => r.RowKey));
        Assert.Equal(keys.Order(StringComparer.Ordinal), all.Rows.Select(r => r.GetString("K")));
    }

    [Fact]
    public async Task Query_Prefix_ReturnsOnlyKeysWithPrefix()
    {
        foreach (string key in new[] { "app|000001", "app|000002", "ap", "apq", "app", "plan|01" })
        {
            await this.Store.InsertAsync(new TableRow(this.Pk, key));
        }

        var page = await this.Store.QueryAsync(TableQuery.WithPrefix(this.Pk, "app|"));

        Assert.Equal(["app|000001", "app|000002"], page.Rows.Select(r => r.RowKey));
    }

    [Fact]
    public async Task Query_EmptyPartition_ReturnsNoRowsAndNoContinuation()
    {
        var page = await this.Store.QueryAsync(new TableQuery(this.Pk));

        Assert.Empty(page.Rows);
        Assert.Null(page.Continuation);
    }

    [Fact]
    public async Task Query_SmallPages_FollowContinuationsToEveryRowOnce()
    {
        for (int i = 0; i < 7; i++)
        {
            await this.Store.InsertAsync(new TableRow(this.Pk, $"r{i}") { ["I"] = i });
        }

        var pages = new List<TablePage>();
        var query = new TableQuery(this.Pk, "r1", PageSize: 3);
        do
        {
            var page = await this.Store.QueryAsync(query);
            pages.Add(page);
            query = query with { Continuation = page.Continuation };
        }
        while (query.Continuation is not null && pages.Count < 10);

        Assert.All(pages, p => Assert.True(p.Rows.Count <= 3));
        Assert.Equal(3, pages[0].Rows.Count);
        Assert.Equal(["r1", "r2", "r3", "r4", "r5", "r6"], pages.SelectMany(p => p.Rows).Select(r => r.RowKey));
    }

    [Fact]
    public async Task Query_MoreThanAThousandRows_PagesOfAtMostAThousandWithContinuation()
    {
        const int total = 1_005;
        for (int start = 0; start < total; start += 100)
        {
            var batch = Enumerable.Range(start, Math.Min(100, total - start))
                .Select(i => TableOperation.Insert(new TableRow(this.Pk, $"{i:D5}") { ["I"] = i }))
                .ToList();
            await this.Store.SubmitTransactionAsync(batch);
        }

        var first = await this.Store.QueryAsync(new TableQuery(this.Pk));
        var rest = await this.Store.QueryAllAsync(new TableQuery(this.Pk, Continuation: first.Continuation)).ToListAsync();

        Assert.Equal(TableQuery.MaxPageSize, first.Rows.Count);
        Assert.NotNull(first.Continuation);
        Assert.Equal(Enumerable.Range(0, total), first.Rows.Concat(rest).Select(r => r.GetInt32("I")!.Value));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public async Task Query_PageSizeOutOfRange_Throws(int pageSize)
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => this.Store.QueryAsync(new TableQuery(this.Pk, PageSize: pageSize)));
    }

    [Fact]
    public async Task Transaction_AllOperationsValid_AppliesAllAndReturnsETags()
    {
        string etag = await this.Store.InsertAsync(new TableRow(this.Pk, "u") { ["V"] = 1 });
        await this.Store.InsertAsync(new TableRow(this.Pk, "d") { ["V"] = 1 });

        var etags = await this.Store.SubmitTransactionAsync(
        [
            TableOperation.Insert(new TableRow(this.Pk, "i") { ["V"] = 2 }),
            TableOperation.Upsert(new TableRow(this.Pk, "s") { ["V"] = 3 }),
            TableOperation.Update(new TableRow(this.Pk, "u") { ["V"] = 4 }, etag),
            TableOperation.Delete(this.Pk, "d", TableOperation.AnyETag),
        ]);

        Assert.Equal(4, etags.Count);
        Assert.Null(etags[3]);
        Assert.Equal(etags[0], (await this.Store.GetAsync(this.Pk, "i"))!.ETag);
        Assert.Equal(etags[1], (await this.Store.GetAsync(this.Pk, "s"))!.ETag);
        Assert.Equal(4, (await this.Store.GetAsync(this.Pk, "u"))!.GetInt32("V"));
        Assert.Equal(etags[2], (await this.Store.GetAsync(this.Pk, "u"))!.ETag);
        Assert.Null(await this.Store.GetAsync(this.Pk, "d"));
    }

    [Fact]
    public async Task Transaction_InsertOfExistingRow_FailsWholeTransactionNamingTheOperation()
    {
        string etag = await this.Store.InsertAsync(new TableRow(this.Pk, "u") { ["V"] = 1 });
        await this.Store.InsertAsync(new TableRow(this.Pk, "exists") { ["V"] = 1 });

        var ex = await Assert.ThrowsAsync<TableEntityExistsException>(() => this.Store.SubmitTransactionAsync(
        [
            TableOperation.Insert(new TableRow(this.Pk, "new1")),
            TableOperation.Update(new TableRow(this.Pk, "u") { ["V"] = 2 }, etag),
            TableOperation.Insert(new TableRow(this.Pk, "exists") { ["V"] = 9 }),
            TableOperation.Insert(new TableRow(this.Pk, "new2")),
        ]));

        Assert.Equal(2, ex.OperationIndex);
        Assert.Null(await this.Store.GetAsync(this.Pk, "new1"));
        Assert.Null(await this.Store.GetAsync(this.Pk, "new2"));
        var u = await this.Store.GetAsync(this.Pk, "u");
        Assert.Equal(1, u!.GetInt32("V"));
        Assert.Equal(etag, u.ETag);
        Assert.Equal(1, (await this.Store.GetAsync(this.Pk, "exists"))!.GetInt32("V"));
    }

    [Fact]
    public async Task Transaction_StaleETag_FailsWholeTransaction()
    {
        string stale = await this.Store.InsertAsync(new TableRow(this.Pk, "u") { ["V"] = 1 });
        await this.Store.UpsertAsync(new TableRow(this.Pk, "u") { ["V"] = 2 });

        var ex = await Assert.ThrowsAsync<TableConditionFailedException>(() => this.Store.SubmitTransactionAsync(
        [
            TableOperation.Insert(new TableRow(this.Pk, "new1")),
            TableOperation.Delete(this.Pk, "u", stale),
        ]));

        Assert.Equal(1, ex.OperationIndex);
        Assert.Null(await this.Store.GetAsync(this.Pk, "new1"));
        Assert.Equal(2, (await this.Store.GetAsync(this.Pk, "u"))!.GetInt32("V"));
    }

    [Fact]
    public async Task Transaction_SameRowTwice_RefusedAndWritesNothing()
    {
        var ex = await Assert.ThrowsAsync<TableInvalidInputException>(() => this.Store.SubmitTransactionAsync(
        [
            TableOperation.Insert(new TableRow(this.Pk, "a")),
            TableOperation.Upsert(new TableRow(this.Pk, "b")),
            TableOperation.Upsert(new TableRow(this.Pk, "a") { ["V"] = 1 }),
        ]));

        Assert.Equal(400, ex.Status);
        Assert.Null(await this.Store.GetAsync(this.Pk, "a"));
        Assert.Null(await this.Store.GetAsync(this.Pk, "b"));
    }

    [Fact]
    public async Task Transaction_MoreThanHundredOperations_RefusedAndWritesNothing()
    {
        var operations = Enumerable.Range(0, 101).Select(i => TableOperation.Insert(new TableRow(this.Pk, $"{i:D3}"))).ToList();

        var ex = await Assert.ThrowsAsync<TableInvalidInputException>(() => this.Store.SubmitTransactionAsync(operations));

        Assert.Equal(400, ex.Status);
        Assert.Contains("100", ex.Message, StringComparison.Ordinal);
        Assert.Empty((await this.Store.QueryAsync(new TableQuery(this.Pk))).Rows);
    }

    [Fact]
    public async Task Transaction_ExactlyHundredOperations_Applied()
    {
        var operations = Enumerable.Range(0, 100).Select(i => TableOperation.Insert(new TableRow(this.Pk, $"{i:D3}"))).ToList();

        var etags = await this.Store.SubmitTransactionAsync(operations);

        Assert.Equal(100, etags.Count);
        Assert.Equal(100, (await this.Store.QueryAsync(new TableQuery(this.Pk))).Rows.Count);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("\\")]
    [InlineData("#")]
    [InlineData("?")]
    [InlineData("\u0001")]
    [InlineData("\u001f")]
    [InlineData("\u007f")]
    [InlineData("\u0085")]
    public async Task Insert_ForbiddenKeyCharacter_RefusedAsInvalidInput(string character)
    {
        var inRowKey = await Assert.ThrowsAsync<TableInvalidInputException>(() => this.Store.InsertAsync(new TableRow(this.Pk, "a" + character + "b")));
        var inPartitionKey = await Assert.ThrowsAsync<TableInvalidInputException>(() => this.Store.InsertAsync(new TableRow(this.Pk + character, "a")));

        Assert.Equal(400, inRowKey.Status);
        Assert.Equal("InvalidInput", inRowKey.ErrorCode);
        Assert.Equal("InvalidInput", inPartitionKey.ErrorCode);
        Assert.Empty((await this.Store.QueryAsync(new TableQuery(this.Pk))).Rows);
    }

    [Fact]
    public async Task Insert_KeyEncodedWithTableKeys_AcceptedAndDecodesBack()
    {
        string value = "call/2025#1?x\\y\tz 100%";
        string key = TableKeys.Encode(value);

        await this.Store.InsertAsync(new TableRow(this.Pk, key));

        var page = await this.Store.QueryAsync(new TableQuery(this.Pk));
        Assert.Equal(value, TableKeys.Decode(Assert.Single(page.Rows).RowKey));
        Assert.NotNull(await this.Store.GetAsync(this.Pk, key));
    }

    [Fact]
    public async Task Insert_KeyOfMaxLength_AcceptedOneLonger_Refused()
    {
        await this.Store.InsertAsync(new TableRow(this.Pk, new string('k', TableRules.MaxKeyLength)));

        var ex = await Assert.ThrowsAsync<TableInvalidInputException>(() => this.Store.InsertAsync(new TableRow(this.Pk, new string('k', TableRules.MaxKeyLength + 1))));

        Assert.Equal(400, ex.Status);
        Assert.Single((await this.Store.QueryAsync(new TableQuery(this.Pk))).Rows);
    }

    [Fact]
    public async Task Properties_EveryType_RoundTripExactly()
    {
        var at = new DateTimeOffset(2026, 11, 22, 8, 30, 15, TimeSpan.FromHours(8)).AddTicks(1_234_567);
        var id = Guid.Parse("6f9619ff-8b86-d011-b42d-00cf4fc964ff");
        byte[] bytes = [0, 1, 2, 254, 255, 0];
        var row = new TableRow(this.Pk, "types")
        {
            ["Text"] = "补贴 subsidy 🚀 'quoted' \"double\"",
            ["Empty"] = string.Empty,
            ["Flag"] = true,
            ["Off"] = false,
            ["Small"] = -2_147_483_648,
            ["Big"] = (1L << 53) + 1,
            ["Max"] = long.MaxValue,
            ["Min"] = long.MinValue,
            ["Fen"] = 987_654_321_012L,
            ["Ratio"] = 0.1,
            ["Huge"] = 1.7976931348623157E+308,
            ["Tiny"] = double.Epsilon,
            ["At"] = at,
            ["Id"] = id,
            ["Bytes"] = bytes,
        };

        await this.Store.InsertAsync(row);
        var read = await this.Store.GetAsync(this.Pk, "types");
        var queried = Assert.Single((await this.Store.QueryAsync(new TableQuery(this.Pk))).Rows);

        foreach (var r in new[] { read!, queried })
        {
            Assert.Equal(row.Properties.Count, r.Properties.Count);
            foreach (var (name, value) in row.Properties)
            {
                Assert.Equal(value, r[name]);
            }

            Assert.Equal(TableValueKind.Int32, r["Small"].Kind);
            Assert.Equal(TableValueKind.Int64, r["Big"].Kind);
            Assert.Equal(9_007_199_254_740_993L, r["Big"].AsInt64());
            Assert.Equal(at.UtcTicks, r["At"].AsDateTime().UtcTicks);
            Assert.Equal(TimeSpan.Zero, r["At"].AsDateTime().Offset);
            Assert.Equal(bytes, r["Bytes"].AsBinary());
        }
    }

    [Fact]
    public async Task Properties_StringOfMaxLengthAccepted_OneLongerRefused()
    {
        await this.Store.InsertAsync(new TableRow(this.Pk, "ok") { ["S"] = new string('x', TableRules.MaxStringLength) });

        var ex = await Assert.ThrowsAsync<TableInvalidInputException>(
            () => this.Store.InsertAsync(new TableRow(this.Pk, "too-long") { ["S"] = new string('x', TableRules.MaxStringLength + 1) }));

        Assert.Equal("PropertyValueTooLarge", ex.ErrorCode);
        Assert.Equal(TableRules.MaxStringLength, (await this.Store.GetAsync(this.Pk, "ok"))!.GetString("S")!.Length);
        Assert.Null(await this.Store.GetAsync(this.Pk, "too-long"));
    }

    [Fact]
    public async Task Properties_BinaryOverLimit_Refused()
    {
        var ex = await Assert.ThrowsAsync<TableInvalidInputException>(
            () => this.Store.InsertAsync(new TableRow(this.Pk, "b") { ["B"] = new byte[TableRules.MaxBinaryLength + 1] }));

        Assert.Equal("PropertyValueTooLarge", ex.ErrorCode);
    }

    [Fact]
    public async Task Upsert_EntityOverOneMebibyte_RefusedAsEntityTooLarge()
    {
        // 20 strings of 30,000 Chinese characters: 1.2 MB as the service counts (2 bytes a character) and 1.8 MB as UTF-8.
        await this.Store.InsertAsync(new TableRow(this.Pk, "big") { ["V"] = 1 });
        var row = new TableRow(this.Pk, "big");
        for (int i = 0; i < 20; i++)
        {
            row[$"P{i}"] = new string('补', 30_000);
        }

        var upsert = await Assert.ThrowsAsync<TableInvalidInputException>(() => this.Store.UpsertAsync(row));
        var update = await Assert.ThrowsAsync<TableInvalidInputException>(() => this.Store.UpdateAsync(row, TableOperation.AnyETag));

        Assert.Equal("EntityTooLarge", upsert.ErrorCode);
        Assert.Equal("EntityTooLarge", update.ErrorCode);
        Assert.Equal(1, (await this.Store.GetAsync(this.Pk, "big"))!.GetInt32("V"));
    }

    [Fact]
    public async Task Properties_NonFiniteDoubles_RoundTrip()
    {
        await this.Store.InsertAsync(new TableRow(this.Pk, "d") { ["Nan"] = double.NaN, ["Pos"] = double.PositiveInfinity, ["Neg"] = double.NegativeInfinity, ["Whole"] = 3.0 });

        var read = await this.Store.GetAsync(this.Pk, "d");

        Assert.True(double.IsNaN(read!["Nan"].AsDouble()));
        Assert.Equal(double.PositiveInfinity, read["Pos"].AsDouble());
        Assert.Equal(double.NegativeInfinity, read["Neg"].AsDouble());
        Assert.Equal(TableValueKind.Double, read["Whole"].Kind);
        Assert.Equal(3.0, read["Whole"].AsDouble());
    }

    [Fact]
    public async Task Transaction_DeleteOfMissingRow_FailsWholeTransactionAsNotFound()
    {
        var ex = await Assert.ThrowsAsync<TableEntityNotFoundException>(() => this.Store.SubmitTransactionAsync(
        [
            TableOperation.Upsert(new TableRow(this.Pk, "a")),
            TableOperation.Delete(this.Pk, "missing", TableOperation.AnyETag),
        ]));

        Assert.Equal(1, ex.OperationIndex);
        Assert.Null(await this.Store.GetAsync(this.Pk, "a"));
    }

    [Fact]
    public async Task Transaction_Empty_Refused()
    {
        await Assert.ThrowsAsync<TableInvalidInputException>(() => this.Store.SubmitTransactionAsync([]));
    }

    [Fact]
    public async Task Transaction_BodyOverFourMebibytes_RefusedAndWritesNothing()
    {
        // Each row is 0.96 MB as the service counts it (under the 1 MiB entity limit) but 1.44 MB as UTF-8 JSON.
        var operations = Enumerable.Range(0, 4).Select(i =>
        {
            var row = new TableRow(this.Pk, $"r{i}");
            for (int j = 0; j < 16; j++)
            {
                row[$"P{j}"] = new string('补', 30_000);
            }

            return TableOperation.Insert(row);
        }).ToList();

        var ex = await Assert.ThrowsAsync<TableInvalidInputException>(() => this.Store.SubmitTransactionAsync(operations));

        Assert.Equal(413, ex.Status);
        Assert.Empty((await this.Store.QueryAsync(new TableQuery(this.Pk))).Rows);
    }
}
