using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace Workflows.Programmes.Records.Replication;

/// <summary>
/// SQLite's session extension over a Microsoft.Data.Sqlite connection: record what one transaction changed as a
/// changeset, and apply a changeset to another copy of the database.
/// </summary>
/// <remarks>
/// <para>The native library is the one Microsoft.Data.Sqlite already loads (<c>e_sqlite3</c>, built with
/// <c>SQLITE_ENABLE_SESSION</c>); SQLitePCLRaw does not wrap these functions, so they are imported here.</para>
/// <para>A session records only tables with a declared PRIMARY KEY (or <c>INTEGER PRIMARY KEY</c>). Tables without one
/// are silently skipped by SQLite, so <see cref="RecordsReplica"/> refuses a schema that has any.</para>
/// <para>A changeset carries the old values of updated and deleted rows, so applying it to a copy that is not in the
/// state the changeset was recorded against is a conflict; the conflict handler here aborts, and the apply fails
/// with <see cref="ReplicaDivergedException"/> rather than guessing.</para>
/// </remarks>
internal static unsafe partial class SqliteChangesets
{
    private const string Library = "e_sqlite3";
    private const int SqliteOk = 0;
    private const int ChangesetAbort = 2;

    [ThreadStatic]
    private static int lastConflict;

    /// <summary>Starts recording every change the connection makes to tables of the main database.</summary>
    /// <param name="connection">An open connection; the session must be disposed before the connection.</param>
    /// <returns>The session.</returns>
    public static Session Record(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var db = Handle(connection);
        Check(db, SessionCreate(db, "main", out var session), "sqlite3session_create");
        var attached = SessionAttach(session, IntPtr.Zero);
        if (attached != SqliteOk)
        {
            SessionDelete(session);
            Check(db, attached, "sqlite3session_attach");
        }

        return new Session(db, session);
    }

    /// <summary>Applies <paramref name="changeset"/> to the connection's main database, inside its current transaction if one is open.</summary>
    /// <param name="connection">The open connection.</param>
    /// <param name="changeset">A changeset from <see cref="Session.Changeset"/>.</param>
    /// <exception cref="ReplicaDivergedException">A row was not in the state the changeset expects.</exception>
    public static void Apply(SqliteConnection connection, byte[] changeset)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(changeset);
        if (changeset.Length == 0)
        {
            return;
        }

        var db = Handle(connection);
        lastConflict = 0;
        int rc;
        fixed (byte* data = changeset)
        {
            rc = ChangesetApply(db, changeset.Length, data, null, &OnConflict, null);
        }

        if (lastConflict != 0)
        {
            throw new ReplicaDivergedException(
                $"The local copy of the records does not match the shared log: applying a change met a {ConflictName(lastConflict)} conflict. The copy will be rebuilt from the log.");
        }

        Check(db, rc, "sqlite3changeset_apply");
    }

    private static string ConflictName(int kind) => kind switch
    {
        1 => "data",
        2 => "not-found",
        3 => "primary-key",
        4 => "constraint",
        5 => "foreign-key",
        _ => $"kind-{kind}",
    };

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnConflict(void* context, int kind, IntPtr iterator)
    {
        lastConflict = kind;
        return ChangesetAbort;
    }

    private static IntPtr Handle(SqliteConnection connection)
    {
        var handle = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        return handle.DangerousGetHandle();
    }

    private static void Check(IntPtr db, int rc, string call)
    {
        if (rc != SqliteOk)
        {
            var message = Marshal.PtrToStringUTF8(ErrorMessage(db)) ?? "unknown error";
            throw new InvalidOperationException($"SQLite {call} failed ({rc}): {message}");
        }
    }

    [LibraryImport(Library, EntryPoint = "sqlite3session_create", StringMarshalling = StringMarshalling.Utf8)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial int SessionCreate(IntPtr db, string schema, out IntPtr session);

    [LibraryImport(Library, EntryPoint = "sqlite3session_attach")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial int SessionAttach(IntPtr session, IntPtr table);

    [LibraryImport(Library, EntryPoint = "sqlite3session_changeset")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial int SessionChangeset(IntPtr session, out int size, out IntPtr changeset);

    [LibraryImport(Library, EntryPoint = "sqlite3session_delete")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial void SessionDelete(IntPtr session);

    [LibraryImport(Library, EntryPoint = "sqlite3_free")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial void Free(IntPtr memory);

    [LibraryImport(Library, EntryPoint = "sqlite3_errmsg")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial IntPtr ErrorMessage(IntPtr db);

    [LibraryImport(Library, EntryPoint = "sqlite3changeset_apply")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial int ChangesetApply(
        IntPtr db,
        int size,
        byte* changeset,
        delegate* unmanaged[Cdecl]<void*, byte*, int> filter,
        delegate* unmanaged[Cdecl]<void*, int, IntPtr, int> conflict,
        void* context);

    /// <summary>A recording session on one connection. Dispose it before the connection.</summary>
    internal sealed class Session : IDisposable
    {
        private readonly IntPtr db;
        private IntPtr session;

        internal Session(IntPtr db, IntPtr session)
        {
            this.db = db;
            this.session = session;
        }

        /// <summary>Gets the changes recorded so far as a changeset; empty when nothing changed.</summary>
        /// <returns>The changeset bytes.</returns>
        public byte[] Changeset()
        {
            ObjectDisposedException.ThrowIf(this.session == IntPtr.Zero, this);
            Check(this.db, SessionChangeset(this.session, out var size, out var data), "sqlite3session_changeset");
            try
            {
                if (size == 0 || data == IntPtr.Zero)
                {
                    return [];
                }

                var bytes = new byte[size];
                Marshal.Copy(data, bytes, 0, size);
                return bytes;
            }
            finally
            {
                if (data != IntPtr.Zero)
                {
                    Free(data);
                }
            }
        }

        /// <summary>Stops recording and frees the session.</summary>
        public void Dispose()
        {
            if (this.session != IntPtr.Zero)
            {
                SessionDelete(this.session);
                this.session = IntPtr.Zero;
            }
        }
    }
}
