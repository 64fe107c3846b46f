using Npgsql;

namespace TrialRegistry.Data.Infrastructure;

/// <summary>
/// The registry's database for the running app: its connection string is settled once at start-up (configured
/// server or local cluster), after configuration is final, and every connection comes from one data source.
/// </summary>
public sealed class RegistryDataSource : IAsyncDisposable
{
    private NpgsqlDataSource? _dataSource;

    public string ConnectionString { get; private set; } = string.Empty;

    public NpgsqlDataSource DataSource => _dataSource
        ?? throw new InvalidOperationException("The registry database is not initialized yet (RegistryDataSource.Initialize runs at start-up).");

    public bool IsInitialized => _dataSource is not null;

    public void Initialize(string connectionString)
    {
        if (_dataSource is not null)
        {
            throw new InvalidOperationException("The registry database is already initialized.");
        }

        ConnectionString = connectionString;
        _dataSource = new NpgsqlDataSourceBuilder(connectionString).Build();
    }

    public async ValueTask DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
    }
}
