using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Workflows.Programmes.Records;

/// <summary>Small helpers for the records tables: time as Unix milliseconds, money as integer fen.</summary>
public static class Db
{
    /// <summary>Converts a time to Unix milliseconds (UTC).</summary>
    /// <param name="value">The time.</param>
    /// <returns>The milliseconds.</returns>
    public static long ToMs(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    /// <summary>Converts Unix milliseconds to a UTC time.</summary>
    /// <param name="value">The milliseconds.</param>
    /// <returns>The time.</returns>
    public static DateTimeOffset FromMs(long value) => DateTimeOffset.FromUnixTimeMilliseconds(value);

    /// <summary>Converts yuan to integer fen. The amount must already be whole fen (the policy engine rounds once).</summary>
    /// <param name="yuan">The amount in yuan.</param>
    /// <returns>The amount in fen.</returns>
    /// <exception cref="ArgumentException">The amount has fractions of a fen.</exception>
    public static long ToFen(decimal yuan)
    {
        var fen = yuan * 100m;
        if (fen != decimal.Truncate(fen))
        {
            throw new ArgumentException($"{yuan.ToString(CultureInfo.InvariantCulture)} yuan is not a whole number of fen.", nameof(yuan));
        }

        return (long)fen;
    }

    /// <summary>Converts integer fen to yuan.</summary>
    /// <param name="fen">The amount in fen.</param>
    /// <returns>The amount in yuan.</returns>
    public static decimal FromFen(long fen) => fen / 100m;

    /// <summary>Creates a command on the connection, bound to the transaction, with named parameters.</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="transaction">The transaction, or null for a read.</param>
    /// <param name="sql">The SQL text.</param>
    /// <param name="parameters">Pairs of name (with <c>$</c>) and value; null becomes SQL NULL.</param>
    /// <returns>The command; the caller disposes it.</returns>
    public static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    /// <summary>Runs a statement and returns the number of rows changed.</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="transaction">The transaction.</param>
    /// <param name="sql">The SQL text.</param>
    /// <param name="parameters">Named parameters.</param>
    /// <returns>Rows changed.</returns>
    public static int Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return command.ExecuteNonQuery();
    }

    /// <summary>Runs a query and returns the first column of the first row, or null.</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="transaction">The transaction, if any.</param>
    /// <param name="sql">The SQL text.</param>
    /// <param name="parameters">Named parameters.</param>
    /// <returns>The value or null.</returns>
    public static object? Scalar(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        var value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    /// <summary>Runs a query and maps every row.</summary>
    /// <typeparam name="T">The row type.</typeparam>
    /// <param name="connection">The connection.</param>
    /// <param name="transaction">The transaction, if any.</param>
    /// <param name="sql">The SQL text.</param>
    /// <param name="map">Maps the current row.</param>
    /// <param name="parameters">Named parameters.</param>
    /// <returns>The rows.</returns>
    public static List<T> Query<T>(SqliteConnection connection, SqliteTransaction? transaction, string sql, Func<SqliteDataReader, T> map, params (string Name, object? Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(map);
        using var command = Command(connection, transaction, sql, parameters);
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    /// <summary>Reads a nullable text column.</summary>
    /// <param name="reader">The reader.</param>
    /// <param name="ordinal">The column.</param>
    /// <returns>The text or null.</returns>
    public static string? TextOrNull(this SqliteDataReader reader, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
    }

    /// <summary>Reads a nullable integer column.</summary>
    /// <param name="reader">The reader.</param>
    /// <param name="ordinal">The column.</param>
    /// <returns>The value or null.</returns>
    public static long? Int64OrNull(this SqliteDataReader reader, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);
    }
}
