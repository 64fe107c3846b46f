using Microsoft.Extensions.DependencyInjection;
using TrialRegistry.Data.Store;
using TrialRegistry.Testing;

namespace TrialRegistry.Web.Tests;

/// <summary>One app for the API tests: the five seeds (loaded at start) plus the 2,274-trial CSV corpus.</summary>
public sealed class ApiFixture(PostgresServer server) : IAsyncLifetime
{
    public RegistryApp App { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        App = await new RegistryApp(server, SharedPaths.Seeds).StartAsync();
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var importer = scope.ServiceProvider.GetRequiredService<DocumentImporter>();
            var result = await importer.ImportFileAsync(Path.Combine(SharedPaths.Corpus, "ctgov-csv", "oncology-car-t-trials.csv"));
            if (result.Records.Count != 2274)
            {
                throw new InvalidOperationException($"corpus import gave {result.Records.Count} records");
            }
        }

        Client = App.CreateClient();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "api";
}
