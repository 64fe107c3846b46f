using System.Text.Json;
using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;
using TrialRegistry.Testing;
using Task = System.Threading.Tasks.Task;

namespace TrialRegistry.Web.Tests;

/// <summary>
/// The FHIR export checked by Firely's validator against the core R4 ResearchStudy definition and its bound
/// value sets (the specification package, offline), for trials of every shape the corpus has: zero errors.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class FhirValidationTests(ApiFixture api)
{
    private static readonly Lazy<Validator> CoreValidator = new(() =>
    {
        var specification = Path.Combine(AppContext.BaseDirectory, "specification.zip");
        var resolver = new CachedResolver(ZipSource.CreateValidationSource(specification));
        return new Validator(resolver, LocalTerminologyService.CreateDefaultForCore(resolver));
    });

    [Fact]
    public async Task Every_exported_research_study_validates_against_core_r4_with_no_errors()
    {
        // The five seeds and a spread of corpus trials: statuses, phases, with and without sites and doses.
        var ids = new List<string> { "NCT06586658", "NCT07181720", "NCT06101082" };
        var page = JsonDocument.Parse(await api.Client.GetStringAsync("/api/v1/trials?pageSize=60&sort=startDate", TestContext.Current.CancellationToken)).RootElement;
        ids.AddRange(page.GetProperty("trials").EnumerateArray().Select(t => t.GetProperty("registryId").GetString()!).Where(id => !ids.Contains(id)));

        var problems = new List<string>();
        foreach (var id in ids)
        {
            var json = await api.Client.GetStringAsync($"/api/v1/trials/{id}/fhir", TestContext.Current.CancellationToken);
            var study = JsonSerializer.Deserialize<ResearchStudy>(json, new JsonSerializerOptions().ForFhir())!;
            var outcome = CoreValidator.Value.Validate(study);
            problems.AddRange(outcome.Issue
                .Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal)
                .Select(i => $"{id}: {i.Details?.Text ?? i.Diagnostics} at {string.Join(", ", i.Expression)}"));
        }

        // The validator finds what is wrong: the same resource without its required status fails.
        var broken = JsonSerializer.Deserialize<ResearchStudy>(await api.Client.GetStringAsync("/api/v1/trials/NCT06586658/fhir", TestContext.Current.CancellationToken), new JsonSerializerOptions().ForFhir())!;
        broken.Status = null;
        Assert.Contains(CoreValidator.Value.Validate(broken).Issue, i => i.Severity == OperationOutcome.IssueSeverity.Error);

        Assert.True(ids.Count >= 50, $"{ids.Count} trials");
        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(40)));
    }
}
