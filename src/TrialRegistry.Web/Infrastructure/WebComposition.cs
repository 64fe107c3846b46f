using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.OpenApi;
using Serilog;
using TrialRegistry.Data.Infrastructure;
using TrialRegistry.Web.Api;

namespace TrialRegistry.Web.Infrastructure;

/// <summary>How the web host is put together: services, then the request pipeline.</summary>
public static class WebComposition
{
    public static IServiceCollection AddRegistryWeb(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRegistryData();
        // Page tokens are signed; a configured secret keeps them good across restarts and between instances.
        if (configuration["Api:PageTokenSecret"] is { Length: > 0 } pageTokenSecret)
        {
            Data.Search.PageCursor.UseKey(pageTokenSecret);
        }

        services.AddSingleton<FluentValidation.IValidator<Api.TrialSearchRequest>, Api.TrialSearchRequestValidator>();
        services.AddSingleton<FluentValidation.IValidator<Api.PrescreenRequest>, Api.PrescreenRequestValidator>();
        services.AddApiRateLimiting();
        services.AddAdminAuthentication(configuration.GetValue("Admin:RequireHttpsCookies", true));
        services.AddUploadLimits();
        services.AddOptions<IngestionOptions>().BindConfiguration(IngestionOptions.Section)
            .Validate(o => o.Workers is >= 1 and <= 64, "Ingestion:Workers must be from 1 to 64")
            .Validate(o => o.IdleSeconds > 0, "Ingestion:IdleSeconds must be more than 0")
            .ValidateOnStart();
        services.AddHostedService<IngestionWorker>();
        services.AddOptions<SeedOptions>().BindConfiguration(SeedOptions.Section)
            .Validate(o => !o.LoadWhenEmpty || !string.IsNullOrWhiteSpace(o.Path), "Seeds:Path must name a folder when Seeds:LoadWhenEmpty is true")
            .ValidateOnStart();
        services.AddOptions<Data.Sync.SyncOptions>().BindConfiguration(Data.Sync.SyncOptions.Section)
            .Validate(o => string.IsNullOrWhiteSpace(o.BaseUrl) || Uri.TryCreate(o.BaseUrl, UriKind.Absolute, out _), "Sync:BaseUrl must be an absolute URL such as https://clinicaltrials.gov")
            .Validate(o => o.PageSize is >= 1 and <= 1000, "Sync:PageSize must be from 1 to 1000")
            .ValidateOnStart();
        services.AddScoped(sp => new Data.Sync.CtGovSync(
            sp.GetRequiredService<Npgsql.NpgsqlDataSource>(), sp.GetRequiredService<Data.Store.TrialStore>(),
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<Data.Sync.SyncOptions>>().Value, sp.GetRequiredService<ILogger<Data.Sync.CtGovSync>>()));
        services.AddHttpClient(SyncWorker.HttpClientName, http =>
        {
            http.Timeout = TimeSpan.FromMinutes(2);
            http.DefaultRequestHeaders.UserAgent.ParseAdd("TrialRegistry-sync/1.0");
        });
        services.AddHostedService<SyncWorker>();
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
            json.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
        });
        // Registered before the default writer, which would answer a browser with JSON too.
        services.AddSingleton<Microsoft.AspNetCore.Http.IProblemDetailsWriter, HtmlProblemWriter>();
        services.AddProblemDetails();
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(kestrel =>
        {
            kestrel.Limits.MaxRequestLineSize = RequestShapeGuard.ServerLimit;
            kestrel.Limits.MaxRequestHeadersTotalSize = RequestShapeGuard.ServerLimit;
        });
        // The registry's data is public: a browser app on another origin may read it (never write: the admin API
        // and pages have no CORS policy, so browsers keep other origins out of them).
        services.AddCors(cors => cors.AddPolicy(Api.TrialsApi.PublicReadCors, policy => policy
            .AllowAnyOrigin()
            .WithMethods("GET", "HEAD")
            .WithHeaders("If-None-Match", "Accept", "Prefer")
            .WithExposedHeaders("ETag", "X-Next-Page-Token", "X-Total-Count", "Retry-After", "Location", "Content-Location", "Expires")
            .SetPreflightMaxAge(TimeSpan.FromHours(1))));
        // Before the database handler: a pattern's time-out is a TimeoutException too, but not the database's.
        services.AddExceptionHandler<TextTimeoutHandler>();
        services.AddExceptionHandler<DatabaseUnavailableHandler>();
        services.AddExceptionHandler<BadRequestHandler>();
        services.AddHealthChecks()
            .AddDbContextCheck<Data.Infrastructure.RegistryDbContext>("database", HealthStatus.Unhealthy, ["ready"]);
        services.AddRazorPages(options =>
        {
            options.Conventions.AuthorizeFolder("/Admin", AdminAuthentication.PagePolicy);
            // Pages that change the registry or its admins are for curators; uploaders upload and follow their batches.
            foreach (var page in new[] { "/Admin/Correct", "/Admin/Flags", "/Admin/Reread", "/Admin/Withdrawn", "/Admin/Audit", "/Admin/Accounts", "/Admin/Unreadable", "/Admin/Sync" })
            {
                options.Conventions.AuthorizePage(page, AdminAuthentication.CuratorPagePolicy);
            }

            options.Conventions.AllowAnonymousToPage("/Admin/SignIn");
        });
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "TrialRegistry API",
                Version = "v1",
                Description = "CAR-T clinical trials, normalized from ClinicalTrials.gov pages, exports and other sources. " +
                              "Vocabularies follow ClinicalTrials.gov API v2 (RECRUITING, PHASE1, ...).",
            });
            OpenApiDocumentation.Configure(options);
            // HEAD is GET without the body: one operation in the document, not two with one id.
            options.DocInclusionPredicate((document, api) => api.HttpMethod != "HEAD" && (api.GroupName is null || api.GroupName == document));
            var xml = Path.Combine(AppContext.BaseDirectory, "TrialRegistry.Web.xml");
            if (File.Exists(xml))
            {
                options.IncludeXmlComments(xml);
            }
        });
        services.AddSingleton<DatabaseInitializer>();
        return services;
    }

    /// <summary>
    /// Runs the registry app: Serilog from configuration, the registry's services, the database settled, the pipeline.
    /// <paramref name="mapMore"/> adds endpoints of a host built on the app (the benchmark's baseline).
    /// </summary>
    public static async Task<int> RunRegistryAsync(string[] args, Action<WebApplication>? mapMore = null)
    {
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
        mapMore?.Invoke(app);
        await app.RunAsync();
        return 0;
    }

    /// <summary>Settles the database (configured or local cluster), applies migrations and loads the seeds when empty.</summary>
    public static Task InitializeRegistryAsync(this WebApplication app) =>
        app.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync(app.Lifetime.ApplicationStopping);

    public static WebApplication UseRegistryPipeline(this WebApplication app)
    {
        app.UseSecurityHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
            app.UseHttpsRedirection();
        }

        // Request logging outside the exception handler, so that it logs the status the client got (a 400 for an
        // unreadable form), not the exception the handler turned into it.
        app.UseSerilogRequestLogging(options => options.Logger = app.Services.GetRequiredService<Serilog.ILogger>());
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRequestShapeGuard();
        app.UseStaticFiles();
        app.UseRouting();
        app.UseCors();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();

        app.UseSwagger();
        app.UseSwaggerUI(options =>
        {
            options.SwaggerEndpoint("/swagger/v1/swagger.json", "TrialRegistry API v1");
            options.DocumentTitle = "TrialRegistry API";
        });

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        app.MapTrialsApi();
        app.MapPrescreenApi();
        app.MapFhirApi();
        app.MapDocumentsApi();
        app.MapCurationApi();
        app.MapRazorPages();
        return app;
    }
}
