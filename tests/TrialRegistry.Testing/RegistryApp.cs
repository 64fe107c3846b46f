using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace TrialRegistry.Testing;

/// <summary>
/// The real app on Kestrel (a free port on 127.0.0.1, real HTTP) against its own database on the real server
/// (created here and dropped afterwards), or against a database it is given, with the seed folder it is given.
/// </summary>
public sealed class RegistryApp : WebApplicationFactory<Program>
{
    private readonly PostgresServer? _server;
    private readonly string? _seedsPath;
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private string _connectionString = string.Empty;

    public RegistryApp(PostgresServer server, string? seedsPath, IReadOnlyDictionary<string, string?>? settings = null)
    {
        _server = server;
        _seedsPath = seedsPath;
        _settings = settings ?? new Dictionary<string, string?>();
    }

    /// <summary>An app on a database of the caller's (not dropped afterwards).</summary>
    public RegistryApp(string connectionString, string? seedsPath, IReadOnlyDictionary<string, string?>? settings = null)
    {
        _connectionString = connectionString;
        _seedsPath = seedsPath;
        _settings = settings ?? new Dictionary<string, string?>();
    }

    public string ConnectionString => _connectionString;

    public async Task<RegistryApp> StartAsync()
    {
        if (_server is not null)
        {
            _connectionString = await _server.CreateDatabaseAsync(migrate: false);
        }

        UseKestrel(0);
        StartServer();
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:Registry", _connectionString);
        builder.UseSetting("Seeds:Path", _seedsPath ?? Path.Combine(Path.GetTempPath(), $"no-seeds-{Guid.NewGuid():N}"));
        builder.UseSetting("RateLimiting:PermitsPerWindow", "100000");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_server is not null && _connectionString.Length > 0)
        {
            await PostgresServer.DropDatabaseAsync(_connectionString);
        }

        GC.SuppressFinalize(this);
    }
}
