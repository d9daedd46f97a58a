using System.Globalization;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Workflows.Programmes.Records.Tables;

namespace Workflows.Programmes.Records.Replication;

/// <summary>One committed records transaction in the shared log.</summary>
/// <param name="Sequence">The position in the log, from 1, without gaps.</param>
/// <param name="TransactionId">A random id the writer chose; it tells the writer whether an append whose answer was lost went in.</param>
/// <param name="SchemaVersion">The records schema version the writer had. A higher version than the entry before marks an upgrade.</param>
/// <param name="Writer">The instance that wrote it (for operators).</param>
/// <param name="At">When it was written.</param>
/// <param name="Changeset">The SQLite changeset (uncompressed); empty for an upgrade marker.</param>
/// <param name="Sequences">The writer's <c>sqlite_sequence</c> after the transaction (AUTOINCREMENT counters, which changesets do not carry).</param>
/// <param name="Shape">A fingerprint of the writer's tables and columns; two builds with one schema version must agree on it.</param>
public sealed record LogEntry(
    long Sequence,
    string TransactionId,
    int SchemaVersion,
    string Writer,
    DateTimeOffset At,
    byte[] Changeset,
    IReadOnlyDictionary<string, long> Sequences,
    string Shape);

/// <summary>What <see cref="RecordsLog.PruneAsync"/> deleted.</summary>
/// <param name="Entries">Log entries deleted.</param>
/// <param name="Snapshots">Snapshots deleted.</param>
/// <param name="KeptFrom">The position of the oldest snapshot kept; the log now starts there (0 when there was no snapshot).</param>
public sealed record PruneResult(int Entries, int Snapshots, long KeptFrom);

/// <summary>A snapshot of the whole records database at one log position.</summary>
/// <param name="Sequence">The last log entry the snapshot contains.</param>
/// <param name="SchemaVersion">The schema version of the database in the snapshot.</param>
/// <param name="BlobId">Where its bytes are.</param>
/// <param name="Rows">How many blob rows hold them.</param>
/// <param name="Size">The database file's size in bytes.</param>
/// <param name="Sha256">The SHA-256 of the database file, hex.</param>
/// <param name="At">When it was taken.</param>
/// <param name="Writer">The instance that took it.</param>
public sealed record SnapshotInfo(long Sequence, int SchemaVersion, string BlobId, int Rows, long Size, string Sha256, DateTimeOffset At, string Writer);

/// <summary>
/// The shared, append-only log of records transactions and the snapshots of the records database, in one Azure table
/// (through <see cref="ITableStore"/>).
/// </summary>
/// <remarks>
/// <para>Layout: partition <c>log</c> holds one row per transaction, row key the sequence number in 19 digits, so a
/// range query from a position returns the entries in order. An append is an insert of the next position: the service
/// answers 409 when another writer took it first (<see cref="TableEntityExistsException"/>), which is the whole
/// concurrency control. Changesets are compressed (zlib) and carried in binary properties of at most 64 KiB; a larger
/// one goes into rows of partition <c>blob|{id}</c>, written before the log row that names them, so a log row never
/// points at missing data. Partition <c>snapshots</c> lists snapshots newest first (row key <c>long.MaxValue - sequence</c>);
/// their bytes are blob rows as well.</para>
/// <para>Each payload carries the SHA-256 of its uncompressed bytes, checked on every read.</para>
/// </remarks>
public sealed class RecordsLog
{
    /// <summary>The partition of the log entries.</summary>
    public const string LogPartition = "log";

    /// <summary>The partition of the snapshot list.</summary>
    public const string SnapshotPartition = "snapshots";

    private const int PartBytes = 64 * 1024;
    // The service counts binary properties by their bytes (1 MiB per entity); Azurite counts their base64 JSON. Eight
    // and ten parts of 64 KiB stay under 1 MiB either way.
    private const int InlineParts = 8;
    private const int BlobRowParts = 10;

    private readonly ITableStore table;

    /// <summary>Initializes the log over one table.</summary>
    /// <param name="table">The table; it holds nothing else.</param>
    public RecordsLog(ITableStore table)
    {
        ArgumentNullException.ThrowIfNull(table);
        this.table = table;
    }

    /// <summary>Formats a log position as its row key.</summary>
    /// <param name="sequence">The position.</param>
    /// <returns>The row key.</returns>
    public static string RowKey(long sequence) => sequence.ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>Appends <paramref name="entry"/> at its position.</summary>
    /// <param name="entry">The entry.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the entry is in the log.</returns>
    /// <exception cref="TableEntityExistsException">Another writer took the position first.</exception>
    public async Task AppendAsync(LogEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Sequence < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(entry), entry.Sequence, "Log positions start at 1.");
        }

        var row = new TableRow(LogPartition, RowKey(entry.Sequence))
        {
            ["Tx"] = entry.TransactionId,
            ["Schema"] = entry.SchemaVersion,
            ["Writer"] = entry.Writer,
            ["At"] = entry.At,
            ["Sequences"] = FormatSequences(entry.Sequences),
            ["Shape"] = entry.Shape,
        };
        await this.WritePayloadAsync(row, entry.Changeset, "tx-" + entry.TransactionId, cancellationToken).ConfigureAwait(false);
        await this.table.InsertAsync(row, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the entry at <paramref name="sequence"/>.</summary>
    /// <param name="sequence">The position.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entry, or null when the position is still free.</returns>
    public async Task<LogEntry?> GetAsync(long sequence, CancellationToken cancellationToken = default)
    {
        var row = await this.table.GetAsync(LogPartition, RowKey(sequence), cancellationToken).ConfigureAwait(false);
        return row is null ? null : await this.ToEntryAsync(row, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Tells whether position <paramref name="sequence"/> is taken (one point read; the payload is not decoded).</summary>
    /// <param name="sequence">The position.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when an entry is there.</returns>
    public async Task<bool> ExistsAsync(long sequence, CancellationToken cancellationToken = default) =>
        await this.table.GetAsync(LogPartition, RowKey(sequence), cancellationToken).ConfigureAwait(false) is not null;

    /// <summary>Reads the entries from <paramref name="fromSequence"/> on, in order.</summary>
    /// <param name="fromSequence">The first position to read.</param>
    /// <param name="cancellationToken">Cancels the reading.</param>
    /// <returns>The entries.</returns>
    public async IAsyncEnumerable<LogEntry> ReadFromAsync(long fromSequence, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var query = new TableQuery(LogPartition, RowKeyFrom: RowKey(Math.Max(1, fromSequence)));
        await foreach (var row in this.table.QueryAllAsync(query, cancellationToken).ConfigureAwait(false))
        {
            yield return await this.ToEntryAsync(row, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stores a snapshot of the records database taken at <paramref name="sequence"/>.</summary>
    /// <param name="sequence">The last entry the snapshot contains.</param>
    /// <param name="schemaVersion">Its schema version.</param>
    /// <param name="database">The database file's bytes.</param>
    /// <param name="writer">The instance taking it.</param>
    /// <param name="at">When.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The snapshot's description.</returns>
    public async Task<SnapshotInfo> WriteSnapshotAsync(long sequence, int schemaVersion, byte[] database, string writer, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        var blobId = "snap-" + RecordsReplica.NewId();
        var (rows, sha) = await this.WriteBlobAsync(blobId, Compress(database), database, cancellationToken).ConfigureAwait(false);
        var info = new SnapshotInfo(sequence, schemaVersion, blobId, rows, database.LongLength, sha, at, writer);
        var row = new TableRow(SnapshotPartition, SnapshotRowKey(sequence))
        {
            ["Seq"] = sequence,
            ["Schema"] = schemaVersion,
            ["Blob"] = blobId,
            ["BlobRows"] = rows,
            ["Size"] = database.LongLength,
            ["Sha256"] = sha,
            ["At"] = at,
            ["Writer"] = writer,
        };
        // Two instances may snapshot the same position; both are valid, the later one replaces the listing.
        await this.table.UpsertAsync(row, cancellationToken).ConfigureAwait(false);
        return info;
    }

    /// <summary>Finds the newest snapshot.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The snapshot, or null when none was taken.</returns>
    public async Task<SnapshotInfo?> LatestSnapshotAsync(CancellationToken cancellationToken = default)
    {
        var page = await this.table.QueryAsync(new TableQuery(SnapshotPartition, PageSize: 1), cancellationToken).ConfigureAwait(false);
        if (page.Rows.Count == 0)
        {
            return null;
        }

        var row = page.Rows[0];
        return new SnapshotInfo(
            row.GetInt64("Seq") ?? throw Corrupt(row, "Seq"),
            row.GetInt32("Schema") ?? throw Corrupt(row, "Schema"),
            row.GetString("Blob") ?? throw Corrupt(row, "Blob"),
            row.GetInt32("BlobRows") ?? throw Corrupt(row, "BlobRows"),
            row.GetInt64("Size") ?? throw Corrupt(row, "Size"),
            row.GetString("Sha256") ?? throw Corrupt(row, "Sha256"),
            row.GetDateTime("At") ?? throw Corrupt(row, "At"),
            row.GetString("Writer") ?? string.Empty);
    }

    /// <summary>Reads a snapshot's database bytes and checks them.</summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The database file's bytes.</returns>
    public async Task<byte[]> ReadSnapshotAsync(SnapshotInfo snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var compressed = await this.ReadBlobAsync(snapshot.BlobId, snapshot.Rows, cancellationToken).ConfigureAwait(false);
        return Verified(Decompress(compressed), snapshot.Sha256, $"snapshot at {snapshot.Sequence}");
    }

    /// <summary>
    /// Deletes what no rebuild needs any more: every snapshot but the newest <paramref name="keepSnapshots"/>, and the log
    /// entries before the oldest snapshot kept (with their blob rows). A replica whose local copy is older than that
    /// rebuilds from the newest snapshot on its next catch-up.
    /// </summary>
    /// <param name="keepSnapshots">How many of the newest snapshots to keep (at least 1).</param>
    /// <param name="cancellationToken">Cancels between deletions; what was deleted stays deleted, and a new run goes on.</param>
    /// <returns>What was deleted.</returns>
    public async Task<PruneResult> PruneAsync(int keepSnapshots, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keepSnapshots, 1);
        var snapshots = new List<TableRow>();
        await foreach (var row in this.table.QueryAllAsync(new TableQuery(SnapshotPartition), cancellationToken).ConfigureAwait(false))
        {
            snapshots.Add(row);
        }

        if (snapshots.Count == 0)
        {
            return new PruneResult(0, 0, 0);
        }

        // Listed newest first: the kept ones lead. The listing row goes before its bytes, so nobody picks a half-deleted one.
        var keptFrom = snapshots[Math.Min(keepSnapshots, snapshots.Count) - 1].GetInt64("Seq") ?? throw Corrupt(snapshots[0], "Seq");
        var deletedSnapshots = 0;
        foreach (var old in snapshots.Skip(keepSnapshots))
        {
            await this.table.DeleteAsync(old.PartitionKey, old.RowKey, TableOperation.AnyETag, cancellationToken).ConfigureAwait(false);
            if (old.GetString("Blob") is { } blob)
            {
                await this.DeleteBlobAsync(blob, cancellationToken).ConfigureAwait(false);
            }

            deletedSnapshots++;
        }

        var deletedEntries = 0;
        var batch = new List<TableOperation>();
        await foreach (var row in this.table.QueryAllAsync(new TableQuery(LogPartition, RowKeyTo: RowKey(keptFrom)), cancellationToken).ConfigureAwait(false))
        {
            if (row.GetString("Blob") is { } blob)
            {
                await this.DeleteBlobAsync(blob, cancellationToken).ConfigureAwait(false);
            }

            batch.Add(TableOperation.Delete(row.PartitionKey, row.RowKey, TableOperation.AnyETag));
            if (batch.Count == 100)
            {
                await this.table.SubmitTransactionAsync(batch, cancellationToken).ConfigureAwait(false);
                deletedEntries += batch.Count;
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            await this.table.SubmitTransactionAsync(batch, cancellationToken).ConfigureAwait(false);
            deletedEntries += batch.Count;
        }

        return new PruneResult(deletedEntries, deletedSnapshots, keptFrom);
    }

    private async Task DeleteBlobAsync(string blobId, CancellationToken cancellationToken)
    {
        var rows = new List<TableRow>();
        await foreach (var row in this.table.QueryAllAsync(new TableQuery("blob|" + blobId), cancellationToken).ConfigureAwait(false))
        {
            rows.Add(row);
        }

        foreach (var chunk in rows.Chunk(100))
        {
            await this.table.SubmitTransactionAsync(chunk.Select(r => TableOperation.Delete(r.PartitionKey, r.RowKey, TableOperation.AnyETag)).ToList(), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Formats a snapshot's position as its row key in the snapshot list (newest first).</summary>
    /// <param name="sequence">The position.</param>
    /// <returns>The row key.</returns>
    public static string SnapshotRowKey(long sequence) => (long.MaxValue - sequence).ToString("D19", CultureInfo.InvariantCulture);

    private async Task WritePayloadAsync(TableRow row, byte[] payload, string blobId, CancellationToken cancellationToken)
    {
        var compressed = Compress(payload);
        row["Size"] = payload.LongLength;
        if (compressed.Length <= InlineParts * PartBytes)
        {
            row["Sha256"] = Sha256(payload);
            row["Parts"] = PutParts(row, compressed);
            return;
        }

        var (rows, sha) = await this.WriteBlobAsync(blobId, compressed, payload, cancellationToken).ConfigureAwait(false);
        row["Sha256"] = sha;
        row["Blob"] = blobId;
        row["BlobRows"] = rows;
    }

    private async Task<(int Rows, string Sha256)> WriteBlobAsync(string blobId, byte[] compressed, byte[] original, CancellationToken cancellationToken)
    {
        var rowBytes = BlobRowParts * PartBytes;
        var rows = (compressed.Length + rowBytes - 1) / rowBytes;
        for (var i = 0; i < rows; i++)
        {
            var slice = compressed.AsSpan(i * rowBytes, Math.Min(rowBytes, compressed.Length - (i * rowBytes))).ToArray();
            var row = new TableRow("blob|" + blobId, i.ToString("D5", CultureInfo.InvariantCulture));
            row["Parts"] = PutParts(row, slice);
            await this.table.UpsertAsync(row, cancellationToken).ConfigureAwait(false);
        }

        return (rows, Sha256(original));
    }

    private async Task<byte[]> ReadBlobAsync(string blobId, int rows, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var seen = 0;
        await foreach (var row in this.table.QueryAllAsync(new TableQuery("blob|" + blobId), cancellationToken).ConfigureAwait(false))
        {
            if (row.RowKey != seen.ToString("D5", CultureInfo.InvariantCulture))
            {
                throw new ReplicaDivergedException($"Blob {blobId} of the records log is missing row {seen}.");
            }

            GetParts(row, buffer);
            seen++;
        }

        if (seen != rows)
        {
            throw new ReplicaDivergedException($"Blob {blobId} of the records log has {seen} rows; {rows} were written.");
        }

        return buffer.ToArray();
    }

    private async Task<LogEntry> ToEntryAsync(TableRow row, CancellationToken cancellationToken)
    {
        byte[] compressed;
        if (row.GetString("Blob") is { } blobId)
        {
            compressed = await this.ReadBlobAsync(blobId, row.GetInt32("BlobRows") ?? throw Corrupt(row, "BlobRows"), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            using var buffer = new MemoryStream();
            GetParts(row, buffer);
            compressed = buffer.ToArray();
        }

        var sequence = long.Parse(row.RowKey, NumberStyles.None, CultureInfo.InvariantCulture);
        var changeset = Verified(Decompress(compressed), row.GetString("Sha256") ?? throw Corrupt(row, "Sha256"), $"log entry {sequence}");
        return new LogEntry(
            sequence,
            row.GetString("Tx") ?? throw Corrupt(row, "Tx"),
            row.GetInt32("Schema") ?? throw Corrupt(row, "Schema"),
            row.GetString("Writer") ?? string.Empty,
            row.GetDateTime("At") ?? throw Corrupt(row, "At"),
            changeset,
            ParseSequences(row.GetString("Sequences") ?? string.Empty),
            row.GetString("Shape") ?? string.Empty);
    }

    private static int PutParts(TableRow row, byte[] bytes)
    {
        var parts = (bytes.Length + PartBytes - 1) / PartBytes;
        for (var i = 0; i < parts; i++)
        {
            row[PartName(i)] = TableValue.FromBinary(bytes.AsSpan(i * PartBytes, Math.Min(PartBytes, bytes.Length - (i * PartBytes))));
        }

        return parts;
    }

    private static void GetParts(TableRow row, MemoryStream into)
    {
        var parts = row.GetInt32("Parts") ?? throw Corrupt(row, "Parts");
        for (var i = 0; i < parts; i++)
        {
            if (!row.Properties.TryGetValue(PartName(i), out var part))
            {
                throw Corrupt(row, PartName(i));
            }

            into.Write(part.AsBinary());
        }
    }

    private static string PartName(int index) => "P" + index.ToString("D2", CultureInfo.InvariantCulture);

    private static byte[] Compress(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            zlib.Write(bytes);
        }

        return output.ToArray();
    }

    private static byte[] Decompress(byte[] bytes)
    {
        using var input = new MemoryStream(bytes);
        using var zlib = new ZLibStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        zlib.CopyTo(output);
        return output.ToArray();
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static byte[] Verified(byte[] bytes, string expectedSha256, string what) =>
        string.Equals(Sha256(bytes), expectedSha256, StringComparison.Ordinal)
            ? bytes
            : throw new ReplicaDivergedException($"The records log's {what} does not match its checksum; it was damaged after it was written.");

    private static string FormatSequences(IReadOnlyDictionary<string, long> sequences)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in sequences.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append(name).Append('=').Append(value.ToString(CultureInfo.InvariantCulture)).Append(';');
        }

        return text.ToString();
    }

    private static Dictionary<string, long> ParseSequences(string text)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var pair in text.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var at = pair.IndexOf('=', StringComparison.Ordinal);
            result[pair[..at]] = long.Parse(pair.AsSpan(at + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }

        return result;
    }

    private static ReplicaDivergedException Corrupt(TableRow row, string property) =>
        new($"Row {row} of the records log has no valid {property}.");
}
