using System.ComponentModel;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Workflows.Programmes.Records.Tables;

// Not Workflows.Programmes.Tests.Records.Tables: a Tests.Records namespace would shadow Workflows.Programmes.Records for other tests (Records.Db).
namespace Workflows.Programmes.Tests.RecordsTables;

/// <summary>
/// Starts the Table service of Azurite (pinned in eng/azurite) on a free loopback port, in memory, and stops it on
/// dispose. Installs Azurite with <c>npm ci</c> first when eng/azurite/node_modules lacks it (once per machine; a file
/// lock keeps parallel test runs from installing twice). Needs Node.js and npm on PATH.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly string workDirectory = Directory.CreateTempSubdirectory("azurite-").FullName;
    private Process? process;
    private RestTableStore? store;

    /// <summary>Gets a table shared by the conformance tests (each test works in a partition of its own).</summary>
    public RestTableStore Store => this.store ?? throw new InvalidOperationException("Azurite has not started.");

    /// <summary>Gets the address Azurite's Table service listens on, <c>http://127.0.0.1:{port}/</c>.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Gets the Table service endpoint of the development account (path style), <c>http://127.0.0.1:{port}/devstoreaccount1</c>.</summary>
    public Uri TableEndpoint => new(this.Endpoint, RestTableStore.DevelopmentAccount);

    /// <summary>Gets a connection string for this Azurite (the published development account, with an explicit TableEndpoint).</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={RestTableStore.DevelopmentAccount};AccountKey={RestTableStore.DevelopmentAccountKey};TableEndpoint={this.TableEndpoint};";

    /// <summary>Creates a new, empty table named <paramref name="prefix"/> and a random suffix.</summary>
    /// <param name="prefix">Letters and digits, starting with a letter (at most 50).</param>
    /// <returns>A store over the new table; the caller disposes it.</returns>
    public async Task<RestTableStore> NewTableAsync(string prefix)
    {
        var table = new RestTableStore(this.TableEndpoint, RestTableStore.DevelopmentAccount, RestTableStore.DevelopmentAccountKey, prefix + Guid.NewGuid().ToString("N")[..12]);
        Assert.True(await table.CreateTableIfNotExistsAsync(), $"table {table.TableName} existed already");
        return table;
    }

    public async Task InitializeAsync()
    {
        string azuriteDirectory = Path.Combine(RepositoryRoot(), "eng", "azurite");
        string main = Path.Combine(azuriteDirectory, "node_modules", "azurite", "dist", "src", "table", "main.js");
        await EnsureInstalledAsync(azuriteDirectory, main);

        int port = FreePort();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = this.workDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // Flags checked against `azurite-table --help` of 3.37.0. --location is not allowed with --inMemoryPersistence,
        // so the working directory (a fresh temp folder) takes whatever Azurite might write.
        foreach (string arg in new[]
        {
            main, "--tableHost", "127.0.0.1", "--tablePort", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--inMemoryPersistence", "--skipApiVersionCheck", "--disableProductStyleUrl", "--disableTelemetry", "--silent",
        })
        {
            start.ArgumentList.Add(arg);
        }

        try
        {
            this.process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException("Starting Azurite needs Node.js ('node' on PATH); it was not found.", ex);
        }

        this.process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            output.Enqueue(e.Data);
            if (e.Data.Contains("successfully started", StringComparison.OrdinalIgnoreCase))
            {
                started.TrySetResult();
            }
        };
        this.process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                output.Enqueue(e.Data);
            }
        };
        this.process.EnableRaisingEvents = true;
        this.process.Exited += (_, _) => started.TrySetException(new InvalidOperationException(
            $"Azurite exited before it was listening on 127.0.0.1:{port}:\n{string.Join('\n', output)}"));
        this.process.BeginOutputReadLine();
        this.process.BeginErrorReadLine();

        try
        {
            await started.Task.WaitAsync(StartTimeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(
                $"Azurite's Table service did not report 'successfully started' on 127.0.0.1:{port} within {StartTimeout.TotalSeconds:0} s. Output:\n{string.Join('\n', output)}");
        }

        this.Endpoint = new Uri($"http://127.0.0.1:{port}/");
        this.store = await this.NewTableAsync("conformance");
    }

    public async Task DisposeAsync()
    {
        this.store?.Dispose();
        if (this.process is { } p)
        {
            try
            {
                p.Kill(entireProcessTree: true);
                await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (InvalidOperationException)
            {
                // It had already exited.
            }

            p.Dispose();
        }

        try
        {
            Directory.Delete(this.workDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    private static async Task EnsureInstalledAsync(string azuriteDirectory, string main)
    {
        if (File.Exists(main))
        {
            return;
        }

        // One installer at a time across processes (test projects and runs share eng/azurite). The lock lives in the temp
        // folder, named after the install folder: npm ci empties node_modules, and the repository stays clean.
        string lockName = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(azuriteDirectory)))[..16];
        string lockPath = Path.Combine(Path.GetTempPath(), $"workflows-azurite-install-{lockName}.lock");
        var deadline = Stopwatch.StartNew();
        FileStream? gate = null;
        while (gate is null)
        {
            try
            {
                gate = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (deadline.Elapsed < InstallTimeout)
            {
                // Another process is installing: wait for its lock to go (the install takes about a minute).
                using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
                await timer.WaitForNextTickAsync();
            }
            catch (IOException ex)
            {
                throw new TimeoutException($"Another process held {lockPath} (installing Azurite) for more than {InstallTimeout.TotalMinutes:0} minutes.", ex);
            }
        }

        await using (gate)
        {
            if (File.Exists(main))
            {
                return;
            }

            // npm is a script: npm.cmd on Windows, which Process.Start finds only by its full name.
            var install = new ProcessStartInfo(OperatingSystem.IsWindows() ? "npm.cmd" : "npm")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = azuriteDirectory,
            };
            foreach (string arg in new[] { "ci", "--no-audit", "--no-fund", "--prefix", azuriteDirectory })
            {
                install.ArgumentList.Add(arg);
            }

            Process npm;
            try
            {
                npm = Process.Start(install) ?? throw new InvalidOperationException("npm did not start.");
            }
            catch (Win32Exception ex)
            {
                throw new InvalidOperationException(
                    $"The Azurite tests need Azurite installed in {azuriteDirectory}, and installing it needs npm on PATH, which was not found. Install Node.js (with npm) or run 'npm ci --prefix eng/azurite' where npm exists.",
                    ex);
            }

            using (npm)
            {
                var stdout = npm.StandardOutput.ReadToEndAsync();
                var stderr = npm.StandardError.ReadToEndAsync();
                try
                {
                    await npm.WaitForExitAsync().WaitAsync(InstallTimeout);
                }
                catch (TimeoutException)
                {
                    npm.Kill(entireProcessTree: true);
                    throw new TimeoutException($"'npm ci --prefix {azuriteDirectory}' did not finish within {InstallTimeout.TotalMinutes:0} minutes.");
                }

                if (npm.ExitCode != 0 || !File.Exists(main))
                {
                    throw new InvalidOperationException(
                        $"'npm ci --prefix {azuriteDirectory}' failed (exit {npm.ExitCode}) or did not install {main}:\n{await stdout}\n{await stderr}");
                }
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Workflows.sln")) && Directory.Exists(Path.Combine(dir.FullName, "eng", "azurite")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} holds Workflows.sln and eng/azurite.");
    }
}

/// <summary>One Azurite for every test class that needs it.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
