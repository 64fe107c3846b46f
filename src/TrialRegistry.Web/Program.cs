using Serilog;
using TrialRegistry.Web.Infrastructure;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddSerilog((services, logger) => logger
    .ReadFrom.Configuration(builder.Configuration)
    .ReadFrom.Services(services)
    .Enrich.FromLogContext()
    .WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture),
    // Each app logs through its own logger, never the process-wide static one (several apps share a test process).
    preserveStaticLogger: true);
builder.Services.AddRegistryWeb(builder.Configuration);

var app = builder.Build();

try
{
    await app.InitializeRegistryAsync();
}
catch (TrialRegistry.Data.LocalDatabase.LocalPostgresUnavailableException)
{
    // Already logged with what to do about it; no stack trace for a set-up problem.
    return 1;
}

app.UseRegistryPipeline();
await app.RunAsync();
return 0;

/// <summary>The web host's entry point (public for WebApplicationFactory in the tests).</summary>
public partial class Program;
