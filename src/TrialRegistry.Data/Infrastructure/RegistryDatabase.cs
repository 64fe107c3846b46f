using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace TrialRegistry.Data.Infrastructure;

/// <summary>How every part of the registry (web host, CLI, tests) configures its DbContext.</summary>
public static class RegistryDatabase
{
    public const string ConnectionStringName = "Registry";

    public static void Configure(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString, Npgsql).UseSnakeCaseNamingConvention();

    public static void Configure(DbContextOptionsBuilder options, NpgsqlDataSource dataSource) =>
        options.UseNpgsql(dataSource, Npgsql).UseSnakeCaseNamingConvention();

    private static void Npgsql(Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure.NpgsqlDbContextOptionsBuilder npgsql)
    {
        npgsql.MigrationsHistoryTable("__ef_migrations_history");
        npgsql.UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery);
    }

    public static RegistryDbContext CreateContext(string connectionString)
    {
        var options = new DbContextOptionsBuilder<RegistryDbContext>();
        Configure(options, connectionString);
        return new RegistryDbContext(options.Options);
    }

    public static RegistryDbContext CreateContext(NpgsqlDataSource dataSource)
    {
        var options = new DbContextOptionsBuilder<RegistryDbContext>();
        Configure(options, dataSource);
        return new RegistryDbContext(options.Options);
    }

    /// <summary>A context that works inside an already open connection and transaction (one document, one transaction).</summary>
    public static RegistryDbContext CreateContext(NpgsqlConnection connection)
    {
        var options = new DbContextOptionsBuilder<RegistryDbContext>();
        options.UseNpgsql(connection, Npgsql).UseSnakeCaseNamingConvention();
        return new RegistryDbContext(options.Options);
    }
}
