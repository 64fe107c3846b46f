using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace TrialRegistry.Testing;

/// <summary>
/// The real app on Kestrel (a free port on 127.0.0.1, real HTTP) against its own database on the real server,
/// with the seed folder it is given.
/// </summary>
public sealed class RegistryApp(PostgresServer server, string? seedsPath, IReadOnlyDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    private string _connectionString = string.Empty;

    public string ConnectionString => _connectionString;

    public async Task<RegistryApp> StartAsync()
    {
        _connectionString = await server.CreateDatabaseAsync(migrate: false);
        UseKestrel(0);
        StartServer();
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:Registry", _connectionString);
        builder.UseSetting("Seeds:Path", seedsPath ?? Path.Combine(Path.GetTempPath(), $"no-seeds-{Guid.NewGuid():N}"));
        builder.UseSetting("RateLimiting:PermitsPerWindow", "100000");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_connectionString.Length > 0)
        {
            await PostgresServer.DropDatabaseAsync(_connectionString);
        }
    }
}
