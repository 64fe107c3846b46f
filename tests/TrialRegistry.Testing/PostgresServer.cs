using Npgsql;
using Testcontainers.PostgreSql;
using TrialRegistry.Data.Infrastructure;
using TrialRegistry.Data.LocalDatabase;
using Xunit;

namespace TrialRegistry.Testing;

/// <summary>
/// The real PostgreSQL server the tests run against, one per test assembly: a Testcontainers PostgreSQL 15
/// container where a Docker engine is reachable, else the project's own local cluster (the one the app uses,
/// started from the installed server binaries). Each test class gets databases of its own, dropped afterwards.
/// There is no fallback to an in-memory store: with no server the fixture fails and says why.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private PostgreSqlContainer? _container;
    private LocalPostgresCluster? _cluster;
    private string _serverConnectionString = string.Empty;

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

    /// <summary>A new, empty database with the registry's migrations applied; its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(bool migrate = true)
    {
        var name = $"test_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(_serverConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(_serverConnectionString) { Database = name, IncludeErrorDetail = true }.ConnectionString;
        if (migrate)
        {
            await RegistryConnection.MigrateAsync(connectionString);
        }

        return connectionString;
    }

    public static Task DropDatabaseAsync(string connectionString) => LocalPostgresCluster.DropDatabaseAsync(connectionString);

    public async ValueTask DisposeAsync()
    {
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
