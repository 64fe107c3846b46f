using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Npgsql;
using Serilog;
using Serilog.Extensions.Logging;
using TrialRegistry.Data.Infrastructure;

namespace TrialRegistry.Cli;

/// <summary>How the commands that write reach the database, and where their logs go.</summary>
public static class CliDatabase
{
    /// <summary>Warnings and errors on standard error, so that standard output stays the command's own.</summary>
    public static ILoggerFactory Logging() => new SerilogLoggerFactory(
        new LoggerConfiguration().MinimumLevel.Warning()
            .WriteTo.Console(standardErrorFromLevel: Serilog.Events.LogEventLevel.Verbose, formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            .CreateLogger(),
        dispose: true);

    /// <summary>The database to use (--connection, else ConnectionStrings__Registry, else the local cluster), migrated; null after saying why not.</summary>
    public static async Task<string?> ConnectAsync(string? connection, ILoggerFactory logging, TextWriter stderr)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        if (connection is not null)
        {
            configuration[$"ConnectionStrings:{RegistryDatabase.ConnectionStringName}"] = connection; // --connection wins over the environment
        }

        try
        {
            var connectionString = await RegistryConnection.ResolveAsync(configuration, logging.CreateLogger("cli"));
            await RegistryConnection.MigrateAsync(connectionString);
            return connectionString;
        }
        catch (Exception ex) when (ex is Data.LocalDatabase.LocalPostgresUnavailableException or NpgsqlException)
        {
            await stderr.WriteLineAsync($"error: no database: {ex.Message}");
            return null;
        }
    }
}
