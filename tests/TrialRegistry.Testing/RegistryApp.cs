using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

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

    /// <summary>Services a test adds to the app's (e.g. a Serilog sink that keeps every event, which the app's logger reads from its services).</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    public async Task<RegistryApp> StartAsync()
    {
        if (_server is not null)
        {
            _connectionString = await _server.CreateDatabaseAsync();
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
        if (TestServices is { } services)
        {
            builder.ConfigureServices(services);
        }

        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>A plain client over real HTTP to the app that shows redirects instead of following them (and, with cookies false, sends only the cookies a test gives it).</summary>
    public HttpClient CreateRawClient(bool cookies = true)
    {
        Uri address;
        using (var probe = CreateClient())
        {
            address = probe.BaseAddress!;
        }

        return new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = cookies }) { BaseAddress = address };
    }

    /// <summary>A count (or any whole-number scalar) straight from the app's database, past the app.</summary>
    public async Task<long> CountAsync(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Runs SQL straight on the app's database, past the app (to set up a state the app would not make itself).</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A new API key for an existing admin of the app's database.</summary>
    public async Task<string> ApiKeyAsync(string userName)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<Data.Admins.AdminAccounts>().NewApiKeyAsync(userName)
            ?? throw new InvalidOperationException($"no admin '{userName}'");
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
