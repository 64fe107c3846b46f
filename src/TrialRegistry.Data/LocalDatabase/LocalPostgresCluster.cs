using System.Globalization;
using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace TrialRegistry.Data.LocalDatabase;

/// <summary>Settings of the project's own PostgreSQL cluster (section <c>LocalPostgres</c>).</summary>
public sealed class LocalPostgresOptions
{
    public const string Section = "LocalPostgres";

    /// <summary>Folder of the server binaries (initdb, pg_ctl); found under /usr/lib/postgresql or on PATH when empty.</summary>
    public string? BinDirectory { get; set; }

    /// <summary>The cluster's data folder; <c>.data/postgres</c> under the repository root when empty.</summary>
    public string? DataDirectory { get; set; }

    public int Port { get; set; } = 55432;

    public string Database { get; set; } = "trialregistry";
}

/// <summary>A hot-standby replica of a local cluster (<see cref="LocalPostgresCluster.StartReplicaAsync"/>).</summary>
public sealed class LocalPostgresReplica(string dataDirectory, int port, Func<CancellationToken, Task> stop) : IAsyncDisposable
{
    public string DataDirectory { get; } = dataDirectory;

    public int Port { get; } = port;

    /// <summary>Stops the replica's server and deletes its folder.</summary>
    public async ValueTask DisposeAsync()
    {
        await stop(CancellationToken.None);
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // left for the temporary folder's cleaning
        }
        catch (UnauthorizedAccessException)
        {
            // left for the temporary folder's cleaning
        }
    }
}

/// <summary>Raised when no local cluster can be had; the message says what to do.</summary>
public sealed class LocalPostgresUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Runs a PostgreSQL cluster of the project's own from the installed server binaries, for machines without
/// Docker or a configured server: created on first use in a git-ignored data folder, started on 127.0.0.1
/// (as the <c>postgres</c> user when the caller is root, since the server refuses to run as root), and reused
/// while it runs. The superuser password is generated on creation and kept beside the data folder.
/// Several processes (the app, the CLI, test assemblies running in parallel) may call it at once: a file lock
/// serializes creation and start.
/// </summary>
public sealed class LocalPostgresCluster
{
    private const string ServiceUser = "postgres";
    private readonly LocalPostgresOptions _options;
    private readonly ILogger _logger;

    public LocalPostgresCluster(LocalPostgresOptions options, ILogger? logger = null)
    {
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        DataDirectory = Path.GetFullPath(options.DataDirectory is { Length: > 0 } dir
            ? dir
            : Path.Combine(RepositoryRoot.Find() ?? Directory.GetCurrentDirectory(), ".data", "postgres"));
        if (RunningAsRoot && !ServiceUserCanReach(Path.GetDirectoryName(DataDirectory)!))
        {
            // The server runs as postgres, which cannot get into this folder (a clone under /root, say):
            // keep the cluster in a folder of its own named after the repository instead.
            var key = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(DataDirectory)))[..12];
            var fallback = Path.Combine("/var/tmp", $"trialregistry-{key}", "postgres");
            _logger.LogInformation("The postgres user cannot reach {DataDirectory}; using {Fallback} for the local cluster", DataDirectory, fallback);
            DataDirectory = fallback;
        }
    }

    /// <summary>Whether the server's user can walk down to <paramref name="folder"/> (every ancestor searchable).</summary>
    private static bool ServiceUserCanReach(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        for (var dir = new DirectoryInfo(folder); dir is not null; dir = dir.Parent)
        {
            if (!dir.Exists)
            {
                continue; // created later by us, searchable by all
            }

            var mode = File.GetUnixFileMode(dir.FullName);
            if (!mode.HasFlag(UnixFileMode.OtherExecute))
            {
                return false;
            }
        }

        return true;
    }

    public string DataDirectory { get; }

    private string StateDirectory => Path.GetDirectoryName(DataDirectory)!;
    private string PasswordFile => Path.Combine(StateDirectory, "postgres.password");
    private string LockFile => Path.Combine(StateDirectory, "postgres.lock");
    private string LogFile => Path.Combine(StateDirectory, "postgres.log");
    private static bool RunningAsRoot => Environment.UserName == "root";

    /// <summary>Creates and starts the cluster where needed, makes sure <paramref name="database"/> exists, and returns its connection string.</summary>
    public async Task<string> EnsureStartedAsync(string? database = null, CancellationToken cancellationToken = default)
    {
        database ??= _options.Database;
        var bin = FindBinDirectory(_options.BinDirectory) ?? throw new LocalPostgresUnavailableException(
            "No PostgreSQL server binaries were found (looked in LocalPostgres:BinDirectory, /usr/lib/postgresql/*/bin and PATH). " +
            "Install them with 'apt-get install -y postgresql' (Debian/Ubuntu), or point the app at an existing server with " +
            "the setting ConnectionStrings:Registry (environment variable ConnectionStrings__Registry).");

        Directory.CreateDirectory(StateDirectory);
        await using (await AcquireLockAsync(cancellationToken))
        {
            if (!File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
            {
                await InitializeAsync(bin, cancellationToken);
            }

            if (!await IsRunningAsync(bin, cancellationToken))
            {
                await StartAsync(bin, cancellationToken);
            }
        }

        var password = (await File.ReadAllTextAsync(PasswordFile, cancellationToken)).Trim();
        var server = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = RunningPort() ?? _options.Port,
            Username = ServiceUser,
            Password = password,
            Database = "postgres",
            Timeout = 15,
        };
        await CreateDatabaseIfMissingAsync(server.ConnectionString, database, cancellationToken);
        server.Database = database;
        if (database == "postgres")
        {
            // The maintenance database: the tests create their databases through it, as the superuser.
            return server.ConnectionString;
        }

        // The app and the CLI work as a role that owns the registry's database and is no superuser.
        if (!File.Exists(AppPasswordFile))
        {
            await File.WriteAllTextAsync(AppPasswordFile, Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)), cancellationToken);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(AppPasswordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        var appPassword = (await File.ReadAllTextAsync(AppPasswordFile, cancellationToken)).Trim();
        return await AppRole.EnsureAsync(server.ConnectionString, AppRole.DefaultName, appPassword, cancellationToken);
    }

    private string AppPasswordFile => Path.Combine(StateDirectory, "app.password");

    /// <summary>Stops the cluster (fast shutdown: open sessions are ended).</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        var bin = FindBinDirectory(_options.BinDirectory) ?? throw new LocalPostgresUnavailableException("No PostgreSQL server binaries were found.");
        await TryRunAsync(Path.Combine(bin, "pg_ctl"), ["stop", "-D", DataDirectory, "-m", "fast", "-w"], RunningAsRoot, cancellationToken);
    }

    /// <summary>
    /// A streaming replica of this (running) cluster in <paramref name="dataDirectory"/>, started on the first free
    /// port from <paramref name="port"/>: a base backup with <c>pg_basebackup -R</c> (which writes the standby's
    /// connection back to this cluster), then the server in hot standby. Read-only; it follows every commit here.
    /// </summary>
    public async Task<LocalPostgresReplica> StartReplicaAsync(string dataDirectory, int port, CancellationToken cancellationToken = default)
    {
        var bin = FindBinDirectory(_options.BinDirectory) ?? throw new LocalPostgresUnavailableException("No PostgreSQL server binaries were found.");
        var primaryPort = RunningPort() ?? throw new LocalPostgresUnavailableException($"The cluster in {DataDirectory} is not running.");
        var password = (await File.ReadAllTextAsync(PasswordFile, cancellationToken)).Trim();
        dataDirectory = Path.GetFullPath(dataDirectory);
        Directory.CreateDirectory(dataDirectory);
        if (RunningAsRoot && !OperatingSystem.IsWindows())
        {
            await RunAsync("chown", [$"{ServiceUser}:{ServiceUser}", dataDirectory], asServiceUser: false, cancellationToken);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(dataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        await RunAsync(Path.Combine(bin, "pg_basebackup"),
            ["-D", dataDirectory, "-R", "-X", "stream", "-h", "127.0.0.1", "-p", primaryPort.ToString(CultureInfo.InvariantCulture), "-U", ServiceUser],
            RunningAsRoot, cancellationToken, new Dictionary<string, string> { ["PGPASSWORD"] = password });

        var replicaPort = Enumerable.Range(port, 20).FirstOrDefault(PortIsFree);
        var log = Path.Combine(dataDirectory, "replica.log");
        await RunAsync(Path.Combine(bin, "pg_ctl"),
            ["start", "-D", dataDirectory, "-w", "-t", "60", "-l", log, "-o", ServerOptions(replicaPort)],
            RunningAsRoot, cancellationToken);
        return new LocalPostgresReplica(dataDirectory, replicaPort, async ct =>
            await TryRunAsync(Path.Combine(bin, "pg_ctl"), ["stop", "-D", dataDirectory, "-m", "fast", "-w"], RunningAsRoot, ct));
    }

    /// <summary>Drops a database of the cluster (tests use one database per run).</summary>
    public static async Task DropDatabaseAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var name = builder.Database!;
        builder.Database = "postgres";
        builder.Pooling = false;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static string? FindBinDirectory(string? configured)
    {
        static bool HasServer(string dir) => File.Exists(Path.Combine(dir, "pg_ctl")) && File.Exists(Path.Combine(dir, "initdb"));

        if (configured is { Length: > 0 })
        {
            return HasServer(configured) ? configured : null;
        }

        if (Directory.Exists("/usr/lib/postgresql"))
        {
            var newest = Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => (Dir: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .Where(d => HasServer(d.Dir))
                .OrderByDescending(d => d.Version)
                .FirstOrDefault();
            if (newest.Dir is not null)
            {
                return newest.Dir;
            }
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(HasServer);
    }

    private async Task<IAsyncDisposable> AcquireLockAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            try
            {
                return new FileStream(LockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200, cancellationToken);
            }
        }
    }

    private async Task InitializeAsync(string bin, CancellationToken cancellationToken)
    {
        _logger.LogInformation("Creating the local PostgreSQL cluster in {DataDirectory}", DataDirectory);
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true); // a half-made cluster from an interrupted initdb
        }

        Directory.CreateDirectory(DataDirectory);
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        await File.WriteAllTextAsync(PasswordFile, password, cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(PasswordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        // initdb reads the password from a file the server user can read; it is removed right after.
        var initPasswordFile = Path.Combine(DataDirectory, "..", $"initdb-{Guid.NewGuid():N}.pw");
        await File.WriteAllTextAsync(initPasswordFile, password, cancellationToken);
        try
        {
            if (RunningAsRoot && !OperatingSystem.IsWindows())
            {
                await RunAsync("chown", ["-R", $"{ServiceUser}:{ServiceUser}", DataDirectory, initPasswordFile], asServiceUser: false, cancellationToken);
                File.SetUnixFileMode(DataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            await RunAsync(Path.Combine(bin, "initdb"),
                ["-D", DataDirectory, "-U", ServiceUser, "--pwfile", Path.GetFullPath(initPasswordFile), "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8"],
                asServiceUser: RunningAsRoot, cancellationToken);
        }
        finally
        {
            File.Delete(initPasswordFile);
        }
    }

    private async Task<bool> IsRunningAsync(string bin, CancellationToken cancellationToken)
    {
        var (exitCode, _) = await TryRunAsync(Path.Combine(bin, "pg_ctl"), ["status", "-D", DataDirectory], RunningAsRoot, cancellationToken);
        return exitCode == 0;
    }

    private async Task StartAsync(string bin, CancellationToken cancellationToken)
    {
        _logger.LogInformation("Starting the local PostgreSQL cluster in {DataDirectory}", DataDirectory);
        if (RunningAsRoot)
        {
            if (!File.Exists(LogFile))
            {
                await File.WriteAllTextAsync(LogFile, string.Empty, cancellationToken);
            }

            await RunAsync("chown", [$"{ServiceUser}:{ServiceUser}", LogFile], asServiceUser: false, cancellationToken);
        }

        // The configured port, or the next free one when another server holds it (another clone's cluster, say).
        var port = Enumerable.Range(_options.Port, 20).FirstOrDefault(PortIsFree);
        if (port == 0)
        {
            throw new LocalPostgresUnavailableException(
                $"Ports {_options.Port}-{_options.Port + 19} on 127.0.0.1 are all taken; set LocalPostgres:Port to a free port.");
        }

        var serverOptions = ServerOptions(port);
        var (exitCode, output) = await TryRunAsync(Path.Combine(bin, "pg_ctl"),
            ["start", "-D", DataDirectory, "-w", "-t", "60", "-l", LogFile, "-o", serverOptions], RunningAsRoot, cancellationToken);
        if (exitCode != 0)
        {
            var log = File.Exists(LogFile) ? string.Join('\n', File.ReadLines(LogFile).TakeLast(15)) : string.Empty;
            throw new LocalPostgresUnavailableException(
                $"The local PostgreSQL cluster in {DataDirectory} did not start on port {port} (pg_ctl exit {exitCode}).\n{output}\n{log}");
        }

        _logger.LogInformation("Local PostgreSQL cluster running on 127.0.0.1:{Port}", port);
    }

    /// <summary>
    /// How the cluster's servers run, the primary and its replicas alike (a standby needs at least the primary's
    /// max_connections; hot standby is PostgreSQL's default).
    /// </summary>
    private static string ServerOptions(int port) =>
        $"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=200 -c shared_buffers=256MB -c work_mem=16MB";

    private static bool PortIsFree(int port)
    {
        try
        {
            using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    /// <summary>The port the running server listens on, from its postmaster.pid (line 4).</summary>
    private int? RunningPort()
    {
        try
        {
            var lines = File.ReadAllLines(Path.Combine(DataDirectory, "postmaster.pid"));
            return lines.Length > 3 && int.TryParse(lines[3].Trim(), out var port) ? port : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static async Task CreateDatabaseIfMissingAsync(string serverConnectionString, string database, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(serverConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection) { Parameters = { new() { Value = database } } };
        if (await exists.ExecuteScalarAsync(cancellationToken) is not null)
        {
            return;
        }

        try
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "\"\"", StringComparison.Ordinal)}\" ENCODING 'UTF8'", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            // created meanwhile by another process
        }
    }

    private static async Task RunAsync(string file, IReadOnlyList<string> args, bool asServiceUser, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? environment = null)
    {
        var (exitCode, output) = await TryRunAsync(file, args, asServiceUser, cancellationToken, environment);
        if (exitCode != 0)
        {
            throw new LocalPostgresUnavailableException($"'{Path.GetFileName(file)} {string.Join(' ', args)}' failed (exit {exitCode}):\n{output}");
        }
    }

    private static async Task<(int ExitCode, string Output)> TryRunAsync(string file, IReadOnlyList<string> args, bool asServiceUser, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(asServiceUser ? "runuser" : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        if (asServiceUser)
        {
            foreach (var arg in (string[])["-u", ServiceUser, "--", file])
            {
                start.ArgumentList.Add(arg);
            }
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new LocalPostgresUnavailableException($"could not run {file}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, (await stdout + await stderr).Trim());
    }
}
