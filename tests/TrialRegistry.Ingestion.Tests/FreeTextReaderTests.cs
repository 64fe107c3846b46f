using TrialRegistry.Ingestion.Model;

namespace TrialRegistry.Ingestion.Tests;

/// <summary>
/// The free-text reader's steps on small inline documents: a field comes from its label when the page has one and
/// is then a fact; from the prose only when no label gives it, and then it is marked inferred.
/// </summary>
public sealed class FreeTextReaderTests
{
    private const string Prose =
        "The study will enrol 30 patients with relapsed or refractory diffuse large B-cell lymphoma. " +
        "Patients receive CD19 CAR-T cells at 1 x 10^6 cells/kg after fludarabine and cyclophosphamide. " +
        "This phase 1 trial is currently recruiting at sites in China and Singapore.";

    [Fact]
    public void Labelled_values_are_facts_and_prose_fills_the_rest_as_inferred()
    {
        var text = """
            Registration number: ChiCTR2400081234
            Public title: CD19 CAR-T cells for relapsed B-cell lymphoma
            Recruiting status: Not yet recruiting
            Primary sponsor: Example University Hospital

            """ + Prose;
        var record = Assert.Single(Documents.ParseText(text, "registration.txt").Records);

        Assert.Equal("ChiCTR2400081234", record.RegistryId);
        Assert.Equal("CD19 CAR-T cells for relapsed B-cell lymphoma", record.Title);
        // The label says not yet recruiting; the prose's "currently recruiting" does not overrule it.
        Assert.Equal(TrialStatus.NotYetRecruiting, record.Status);
        Assert.Equal("Example University Hospital", Assert.Single(record.Sponsors).Name);
        Assert.DoesNotContain("status", record.Inferred);
        Assert.DoesNotContain("sponsors", record.Inferred);
        Assert.DoesNotContain("title", record.Inferred);

        Assert.Equal([TrialPhase.Phase1], record.Phases);
        Assert.Equal(30, record.Enrollment?.Count);
        Assert.Equal(["China", "Singapore"], record.Locations.Select(l => l.Country));
        Assert.Superset(new HashSet<string> { "phases", "enrollment", "conditions", "locations" }, record.Inferred.ToHashSet());
    }

    [Fact]
    public void Without_labels_every_field_comes_from_the_prose_and_says_so()
    {
        var text = "NCT06000001\n\nCD19 CAR-T Cells for Relapsed Diffuse Large B-cell Lymphoma\n\n" + Prose + "\n";
        var parsed = Documents.ParseText(text, "summary.txt");
        var record = Assert.Single(parsed.Records);

        Assert.Equal("registry-summary", parsed.Format);
        Assert.Equal("NCT06000001", record.RegistryId);
        Assert.Equal(TrialStatus.Recruiting, record.Status);
        Assert.Equal([TrialPhase.Phase1], record.Phases);
        Assert.Equal(30, record.Enrollment?.Count);
        Assert.Equal(["CD19"], record.TargetAntigens);
        Assert.Superset(new HashSet<string> { "title", "status", "phases", "enrollment", "conditions", "locations", "targetAntigens", "doseLevels" }, record.Inferred.ToHashSet());
    }
}
