using Serilog;
using TrialRegistry.Web.Infrastructure;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddSerilog((services, logger) => logger
    .ReadFrom.Configuration(builder.Configuration)
    .ReadFrom.Services(services)
    .Enrich.FromLogContext()
    .WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture));
builder.Services.AddRegistryWeb();

var app = builder.Build();

await app.InitializeRegistryAsync();
app.UseRegistryPipeline();
await app.RunAsync();

/// <summary>The web host's entry point (public for WebApplicationFactory in the tests).</summary>
public partial class Program;
