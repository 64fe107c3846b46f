using Npgsql;

namespace TrialRegistry.Data.Infrastructure;

/// <summary>
/// The registry's database for the running app: its connection string is settled once at start-up (configured
/// server or local cluster), after configuration is final, and every connection comes from one data source. Public
/// reads (search, facets, trial records, the dose landscape) may go to PostgreSQL streaming replicas instead
/// (<c>ConnectionStrings:RegistryRead</c>; several hosts in it are balanced by Npgsql); writes, admin reads and the
/// change feed stay on the primary.
/// </summary>
public sealed class RegistryDataSource : IAsyncDisposable
{
    public const string ReadConnectionStringName = "RegistryRead";

    private NpgsqlDataSource? _dataSource;
    private NpgsqlDataSource? _readDataSource;

    /// <summary>Where public reads go: the replicas when configured, else the primary.</summary>
    public NpgsqlDataSource ReadDataSource => _readDataSource ?? DataSource;

    /// <summary>Whether public reads go to replicas.</summary>
    public bool HasReplicas => _readDataSource is not null;

    public string ConnectionString { get; private set; } = string.Empty;

    public NpgsqlDataSource DataSource => _dataSource
        ?? throw new InvalidOperationException("The registry database is not initialized yet (RegistryDataSource.Initialize runs at start-up).");

    public bool IsInitialized => _dataSource is not null;

    public void Initialize(string connectionString, string? readConnectionString = null)
    {
        if (_dataSource is not null)
        {
            throw new InvalidOperationException("The registry database is already initialized.");
        }

        ConnectionString = connectionString;
        _dataSource = Build(connectionString);
        if (!string.IsNullOrWhiteSpace(readConnectionString))
        {
            _readDataSource = Build(readConnectionString);
        }
    }

    /// <summary>
    /// A data source whose connections prepare the statements they run again and again (Npgsql's automatic
    /// preparation: the search's summaries and filters are planned once per connection, not per request), unless the
    /// connection string says otherwise (<c>Max Auto Prepare=0</c> turns it off).
    /// </summary>
    private static NpgsqlDataSource Build(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (!builder.ConnectionStringBuilder.ContainsKey("Max Auto Prepare"))
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
            builder.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
        }

        return builder.Build();
    }

    public async ValueTask DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }

        if (_readDataSource is not null)
        {
            await _readDataSource.DisposeAsync();
        }
    }
}
