using TrialRegistry.Ingestion.Formats;
using TrialRegistry.Testing;

namespace TrialRegistry.Ingestion.Tests;

/// <summary>Sites keep the coordinates and postal codes their sources give (for distance searches).</summary>
public sealed class SiteCoordinatesTests
{
    [Fact]
    public void The_sites_export_and_api_records_give_each_site_its_coordinates()
    {
        var csv = "NCTId,BriefTitle,OverallStatus,Facility,City,State,Zip,Country,SiteStatus,Latitude,Longitude\n" +
                  "NCT09990001,A CAR-T study,RECRUITING,Dana-Farber Cancer Institute,Boston,Massachusetts,02215,United States,RECRUITING,42.35843,-71.05977\n" +
                  "NCT09990001,A CAR-T study,RECRUITING,Some Clinic,Nowhere,,,United States,,0,0\n";
        var sites = DocumentParser.Default.Parse(System.Text.Encoding.UTF8.GetBytes(csv), "sites.csv").Records.Single().Locations;
        Assert.Equal((42.35843, -71.05977, "02215"), (sites[0].Latitude!.Value, sites[0].Longitude!.Value, sites[0].PostalCode));
        Assert.Null(sites[1].Latitude); // 0,0 is a placeholder, not a place

        var json = Path.Combine(SharedPaths.Corpus, "ctgov-json", "ctg-studies-2.json");
        var records = DocumentParser.Default.Parse(File.ReadAllBytes(json), "ctg-studies-2.json").Records;
        Assert.Contains(records.SelectMany(r => r.Locations), l => l.Latitude is > -12.98 and < -12.97 && l.Longitude is > -38.52 and < -38.51);
    }
}
