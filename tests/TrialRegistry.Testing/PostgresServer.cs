using Npgsql;
using Testcontainers.PostgreSql;
using TrialRegistry.Data.Infrastructure;
using TrialRegistry.Data.LocalDatabase;
using Xunit;

namespace TrialRegistry.Testing;

/// <summary>
/// The real PostgreSQL server the tests run against, one per test assembly: a Testcontainers PostgreSQL 15
/// container where a Docker engine is reachable, else the project's own local cluster (the one the app uses,
/// started from the installed server binaries). Each test class gets databases of its own, dropped afterwards:
/// a migrated one is a copy of a template migrated once per test assembly (CREATE DATABASE … TEMPLATE), so only
/// the first pays for the migrations. There is no fallback to an in-memory store: with no server the fixture
/// fails and says why.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private PostgreSqlContainer? _container;
    private LocalPostgresCluster? _cluster;
    private string _serverConnectionString = string.Empty;
    private readonly SemaphoreSlim _templateLock = new(1, 1);
    private string? _template;

    /// <summary>"docker" or "local cluster", for messages.</summary>
    public string Kind { get; private set; } = "none";

    public async ValueTask InitializeAsync()
    {
        if (DockerAvailable())
        {
            Kind = "docker";
            _container = new PostgreSqlBuilder("postgres:15-alpine").Build();
            await _container.StartAsync();
            _serverConnectionString = _container.GetConnectionString();
            return;
        }

        Kind = "local cluster";
        try
        {
            _cluster = new LocalPostgresCluster(new LocalPostgresOptions());
            _serverConnectionString = await _cluster.EnsureStartedAsync("postgres");
        }
        catch (LocalPostgresUnavailableException ex)
        {
            throw new InvalidOperationException(
                "The tests need a real PostgreSQL: no Docker engine is reachable (DOCKER_HOST or /var/run/docker.sock) and the local cluster " +
                $"could not be started. {ex.Message}", ex);
        }
    }

    /// <summary>A new database, with the registry's migrations applied unless <paramref name="migrate"/> is false; its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(bool migrate = true)
    {
        var name = $"test_{Guid.NewGuid():N}";
        var template = migrate ? await MigratedTemplateAsync() : null;
        await ExecuteAsync(template is null ? $"CREATE DATABASE \"{name}\"" : $"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"");

        // A test database's commits need not wait for the disk (the server does not crash under a test; a killed
        // client loses nothing either way): set on the test database alone, never on the cluster the app's data uses.
        await ExecuteAsync($"ALTER DATABASE \"{name}\" SET synchronous_commit = off");
        return ConnectionStringOf(name);
    }

    /// <summary>
    /// The database every migrated test database is copied from, migrated on first use. PostgreSQL copies a template
    /// only while nobody is connected to it, so its migration runs on an unpooled connection that closes with it.
    /// </summary>
    private async Task<string> MigratedTemplateAsync()
    {
        await _templateLock.WaitAsync();
        try
        {
            if (_template is null)
            {
                var name = $"test_template_{Guid.NewGuid():N}";
                await ExecuteAsync($"CREATE DATABASE \"{name}\"");
                var connectionString = new NpgsqlConnectionStringBuilder(ConnectionStringOf(name)) { Pooling = false }.ConnectionString;
                await RegistryConnection.MigrateAsync(connectionString);
                _template = name;
            }

            return _template;
        }
        finally
        {
            _templateLock.Release();
        }
    }

    private string ConnectionStringOf(string database) =>
        new NpgsqlConnectionStringBuilder(_serverConnectionString) { Database = database, IncludeErrorDetail = true }.ConnectionString;

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_serverConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public static Task DropDatabaseAsync(string connectionString) => LocalPostgresCluster.DropDatabaseAsync(connectionString);

    public async ValueTask DisposeAsync()
    {
        if (_template is not null && _container is null)
        {
            await LocalPostgresCluster.DropDatabaseAsync(ConnectionStringOf(_template));
        }

        _templateLock.Dispose();
        if (_container is not null)
        {
            await _container.DisposeAsync();
        }
    }

    private static bool DockerAvailable()
    {
        var forced = Environment.GetEnvironmentVariable("TRIALREGISTRY_TEST_POSTGRES");
        if (forced is "local")
        {
            return false;
        }

        return forced is "docker"
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOCKER_HOST"))
            || File.Exists("/var/run/docker.sock");
    }
}
