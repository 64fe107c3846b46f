using System.Diagnostics;
using TrialRegistry.Data.LocalDatabase;
using TrialRegistry.Testing;

namespace TrialRegistry.Web.Tests;

/// <summary>
/// The OpenAPI document is what integrators generate clients from, so the test does the same: Kiota (the
/// repository's dotnet tool) generates a C# client from the document the app serves, a small program built on it
/// searches, follows a page token, reads a trial, its versions, its FHIR resource and the change feed against the
/// running app. A document that drifts from the API fails here: as generated code that does not compile, or as a
/// call whose answer the client cannot read.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class GeneratedClientTests(ApiFixture api)
{
    [Fact]
    public async Task A_client_generated_from_the_served_document_compiles_and_drives_the_api()
    {
        var repository = RepositoryRoot.Find()!;
        var work = Directory.CreateTempSubdirectory("trialregistry-client-");
        try
        {
            var document = Path.Combine(work.FullName, "openapi.json");
            await File.WriteAllTextAsync(document, await api.Client.GetStringAsync("/swagger/v1/swagger.json", TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);
            var project = Path.Combine(work.FullName, "driver");
            Directory.CreateDirectory(project);
            var template = Path.Combine(repository, "tests", "TrialRegistry.Web.Tests", "GeneratedClient");
            File.Copy(Path.Combine(template, "Driver.csproj.txt"), Path.Combine(project, "Driver.csproj"));
            File.Copy(Path.Combine(template, "Driver.cs.txt"), Path.Combine(project, "Program.cs"));

            await RunAsync(repository, "dotnet", "tool", "restore");
            await RunAsync(repository, "dotnet", "kiota", "generate", "-l", "CSharp", "-d", document, "-o", Path.Combine(project, "client"),
                "-n", "Registry.Client", "-c", "RegistryClient", "--clean-output");
            var output = await RunAsync(project, "dotnet", "run", "--", api.Client.BaseAddress!.ToString().TrimEnd('/'));
            Assert.Contains("ALL OK", output, StringComparison.Ordinal);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_served_document_is_valid_openapi_3_with_no_errors_or_warnings()
    {
        await using var stream = await api.Client.GetStreamAsync("/swagger/v1/swagger.json", TestContext.Current.CancellationToken);
        var read = await Microsoft.OpenApi.OpenApiDocument.LoadAsync(stream, "json", cancellationToken: TestContext.Current.CancellationToken);
        Assert.NotNull(read.Document);
        Assert.Empty(read.Diagnostic?.Errors ?? []);
        Assert.Empty(read.Diagnostic?.Warnings ?? []);
        var rules = Microsoft.OpenApi.ValidationRuleSet.GetDefaultRuleSet();
        Assert.Empty(Microsoft.OpenApi.OpenApiElementExtensions.Validate(read.Document, rules) ?? []);
    }

    private static async Task<string> RunAsync(string directory, string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(command, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // No update check or telemetry: the tests run without the internet beyond the package feed.
        start.Environment["KIOTA_OFFLINE_ENABLED"] = "true";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, $"{command} {string.Join(' ', arguments)} exited {process.ExitCode}:\n{output[^Math.Min(output.Length, 4000)..]}");
        return output;
    }
}
