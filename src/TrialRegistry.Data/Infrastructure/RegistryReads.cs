using Microsoft.Extensions.DependencyInjection;

namespace TrialRegistry.Data.Infrastructure;

/// <summary>
/// The DbContext of a request's public reads: on the replicas when <c>ConnectionStrings:RegistryRead</c> is set (a
/// context of its own, disposed with the request), else the request's own context on the primary. Services resolved
/// under <see cref="Key"/> read through it; the unkeyed ones stay on the primary (admins read what they just wrote).
/// </summary>
public sealed class RegistryReads(RegistryDataSource registry, IServiceProvider services) : IAsyncDisposable
{
    /// <summary>The service key of the services that read from the replicas.</summary>
    public const string Key = "reads";

    private RegistryDbContext? _replica;

    public RegistryDbContext Db => registry.HasReplicas
        ? _replica ??= RegistryDatabase.CreateContext(registry.ReadDataSource)
        : services.GetRequiredService<RegistryDbContext>();

    public async ValueTask DisposeAsync()
    {
        if (_replica is not null)
        {
            await _replica.DisposeAsync();
        }
    }
}
