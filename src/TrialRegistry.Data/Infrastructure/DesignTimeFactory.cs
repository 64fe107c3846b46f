using Microsoft.EntityFrameworkCore.Design;

namespace TrialRegistry.Data.Infrastructure;

/// <summary>For <c>dotnet ef migrations add</c>: builds the model without a server.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<RegistryDbContext>
{
    public RegistryDbContext CreateDbContext(string[] args) =>
        RegistryDatabase.CreateContext("Host=127.0.0.1;Database=trialregistry_design");
}
