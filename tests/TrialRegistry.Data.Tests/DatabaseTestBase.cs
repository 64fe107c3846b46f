using Npgsql;
using TrialRegistry.Data.Infrastructure;
using TrialRegistry.Data.Store;
using TrialRegistry.Ingestion.Formats;
using TrialRegistry.Testing;

namespace TrialRegistry.Data.Tests;

/// <summary>Each test gets a fresh, migrated database on the real server; it is dropped afterwards.</summary>
public abstract class DatabaseTestBase(PostgresServer server) : IAsyncLifetime
{
    protected PostgresServer Server { get; } = server;
    protected string ConnectionString { get; private set; } = string.Empty;
    protected NpgsqlDataSource DataSource { get; private set; } = null!;
    protected TrialStore Store { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        ConnectionString = await Server.CreateDatabaseAsync();
        DataSource = NpgsqlDataSource.Create(ConnectionString);
        Store = new TrialStore(DataSource);
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await PostgresServer.DropDatabaseAsync(ConnectionString);
    }

    protected RegistryDbContext Db() => RegistryDatabase.CreateContext(ConnectionString);

    protected Task<DocumentImportResult> ImportFileAsync(string path) =>
        Store.ImportAsync(DocumentParser.Default.Parse(File.ReadAllBytes(path), Path.GetFileName(path)), TestContext.Current.CancellationToken);

    protected Task<DocumentImportResult> ImportTextAsync(string text, string fileName) =>
        Store.ImportAsync(DocumentParser.Default.Parse(System.Text.Encoding.UTF8.GetBytes(text), fileName), TestContext.Current.CancellationToken);

    protected async Task<long> CountAsync(string table)
    {
        await using var command = DataSource.CreateCommand($"SELECT count(*) FROM {table}");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
