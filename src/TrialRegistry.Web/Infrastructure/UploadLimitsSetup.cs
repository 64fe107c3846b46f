using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using TrialRegistry.Data.Admins;
using TrialRegistry.Data.Uploads;

namespace TrialRegistry.Web.Infrastructure;

/// <summary>
/// The upload limits from configuration (section <c>Uploads</c>), checked when the app starts (a bad setting stops
/// it with the reason), and applied everywhere an upload arrives: the intake's checks, the request body the server
/// reads for the upload page and the documents API, and the multipart form reader.
/// </summary>
public static class UploadLimitsSetup
{
    public const string UploadPage = "/Admin/Upload";

    public static IServiceCollection AddUploadLimits(this IServiceCollection services)
    {
        services.AddOptions<UploadLimits>()
            .BindConfiguration(UploadLimits.Section)
            .Validate(limits => limits.Problem() is null, $"The {UploadLimits.Section} settings are not valid: each limit must be positive and MaxFileBytes at most MaxRequestBytes.")
            .ValidateOnStart();
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<UploadLimits>>().Value);
        services.AddOptions<FormOptions>().Configure<IOptions<UploadLimits>>((form, limits) => form.MultipartBodyLengthLimit = limits.Value.MaxBodyBytes);
        services.AddOptions<RazorPagesOptions>().Configure<IOptions<UploadLimits>>((pages, limits) =>
            pages.Conventions.AddPageApplicationModelConvention(UploadPage, page => page.EndpointMetadata.Add(new RequestSizeLimitAttribute(limits.Value.MaxBodyBytes))));
        return services;
    }

    /// <summary>The server reads at most the upload limit of this endpoint's body, then answers 413.</summary>
    public static RouteHandlerBuilder WithUploadBodyLimit(this RouteHandlerBuilder endpoint, IEndpointRouteBuilder app) =>
        endpoint.WithMetadata(new RequestSizeLimitAttribute(app.ServiceProvider.GetRequiredService<UploadLimits>().MaxBodyBytes));
}
