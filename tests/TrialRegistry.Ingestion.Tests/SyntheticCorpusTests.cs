using System.Text;
using TrialRegistry.Ingestion.Formats;
using TrialRegistry.Ingestion.Model;
using TrialRegistry.Synthetic;

namespace TrialRegistry.Ingestion.Tests;

/// <summary>
/// The generator writes what it means: every synthetic document parses in its own format, and the parser reads
/// back the facts the trial was generated with, as far as each format states them.
/// </summary>
public sealed class SyntheticCorpusTests
{
    private static readonly string[] Formats = [.. SyntheticFormats.Mix.Select(m => m.Format)];

    // What each format states: ids, phases, criteria, routes and doses are absent from some by design.
    private static readonly HashSet<string> WithId = [CtGovJsonParser.FormatName, CtGovXmlParser.FormatName, CtGovCsvParser.FormatName, CtGovPageParser.FormatName, EditorialPageParser.FormatName];
    private static readonly HashSet<string> WithPhase = [.. WithId, AggregatorPageParser.FormatName];
    private static readonly HashSet<string> WithCriteria = [CtGovJsonParser.FormatName, CtGovXmlParser.FormatName, CtGovPageParser.FormatName, EditorialPageParser.FormatName, AggregatorPageParser.FormatName];
    private static readonly HashSet<string> WithArms = [CtGovJsonParser.FormatName, CtGovXmlParser.FormatName, CtGovPageParser.FormatName];
    private static readonly HashSet<string> WithAges = [CtGovJsonParser.FormatName, CtGovXmlParser.FormatName, CtGovPageParser.FormatName, CtGovCsvParser.FormatName, EditorialPageParser.FormatName];

    [Fact]
    public void Every_format_reads_back_what_the_trial_was_generated_with()
    {
        var failures = new List<string>();
        foreach (var trial in TrialGenerator.Trials(150, seed: 7))
        {
            foreach (var format in Formats)
            {
                var text = SyntheticFormats.Write(trial, format);
                var parsed = DocumentParser.Default.Parse(Encoding.UTF8.GetBytes(text), $"t{trial.Index}{SyntheticFormats.Extension(format)}");
                void Check(bool ok, string what)
                {
                    if (!ok)
                    {
                        failures.Add($"trial {trial.Index} as {format}: {what}");
                    }
                }

                Check(parsed.Format == format, $"read as {parsed.Format} ({parsed.Error})");
                if (parsed.Records is not [var r])
                {
                    continue;
                }

                Check(!WithId.Contains(format) || r.RegistryId == trial.NctId, $"id {r.RegistryId}");
                Check(trial.Antigens.All(a => r.TargetAntigens.Contains(a)), $"antigens [{string.Join(",", r.TargetAntigens)}] for [{string.Join(",", trial.Antigens)}]");
                Check(!WithPhase.Contains(format) || r.Phases.SequenceEqual(trial.Phases), $"phases [{string.Join(",", r.Phases)}] for [{string.Join(",", trial.Phases)}]");
                Check(r.Conditions.SequenceEqual(trial.Conditions), $"conditions [{string.Join("; ", r.Conditions)}]");
                if (WithCriteria.Contains(format))
                {
                    Check(r.Eligibility?.Inclusion.Count == trial.Inclusion.Count && r.Eligibility.Exclusion.Count == trial.Exclusion.Count,
                        $"criteria {r.Eligibility?.Inclusion.Count}/{r.Eligibility?.Exclusion.Count} for {trial.Inclusion.Count}/{trial.Exclusion.Count}");
                }

                if (WithAges.Contains(format))
                {
                    Check(r.Eligibility?.MinAgeYears == trial.MinAgeYears && r.Eligibility.MaxAgeYears == trial.MaxAgeYears,
                        $"ages {r.Eligibility?.MinAgeYears}-{r.Eligibility?.MaxAgeYears} for {trial.MinAgeYears}-{trial.MaxAgeYears}");
                }

                if (WithArms.Contains(format))
                {
                    Check(r.Routes.Order().SequenceEqual(trial.Routes.Order()), $"routes [{string.Join(",", r.Routes)}] for [{string.Join(",", trial.Routes)}]");
                    var expected = trial.Doses.Select(d => (d.Unit, d.Value)).Distinct().Order().ToList();
                    var read = r.DoseLevels.Select(d => (d.Unit, d.Value)).Distinct().Order().ToList();
                    Check(read.SequenceEqual(expected), $"doses [{string.Join(", ", read)}] for [{string.Join(", ", expected)}]");
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} disagreements, first ones:\n{string.Join('\n', failures.Take(40))}");
    }

    [Fact]
    public void A_corpus_is_the_same_for_the_same_seed_and_differs_for_another()
    {
        var a = TrialGenerator.Trials(50, seed: 1).Select(t => SyntheticFormats.Write(t, SyntheticFormats.FormatOf(t.Index, 1))).ToList();
        var b = TrialGenerator.Trials(50, seed: 1).Reverse().Select(t => SyntheticFormats.Write(t, SyntheticFormats.FormatOf(t.Index, 1))).Reverse().ToList();
        var c = TrialGenerator.Trials(50, seed: 2).Select(t => SyntheticFormats.Write(t, SyntheticFormats.FormatOf(t.Index, 2))).ToList();
        Assert.Equal(a, b);
        Assert.True(a.Zip(c).Count(p => p.First != p.Second) > 45);
    }

    [Fact]
    public void The_corpus_follows_the_landscape_mix()
    {
        var trials = TrialGenerator.Trials(4000).ToList();
        var cd19 = trials.Count(t => t.Antigens.Contains("CD19")) / 4000.0;
        var phase1 = trials.Count(t => t.Phases.Contains(TrialPhase.Phase1)) / 4000.0;
        var antigens = trials.SelectMany(t => t.Antigens).Distinct().Count();
        var formats = Enumerable.Range(0, 4000).GroupBy(i => SyntheticFormats.FormatOf(i, TrialGenerator.DefaultSeed)).ToDictionary(g => g.Key, g => g.Count() / 4000.0);
        Assert.InRange(cd19, 0.33, 0.46);
        Assert.InRange(phase1, 0.55, 0.75);
        Assert.True(antigens >= 35, $"{antigens} antigens");
        foreach (var (format, share) in SyntheticFormats.Mix)
        {
            Assert.InRange(formats[format], share - 0.03, share + 0.03);
        }

        Assert.InRange(trials.Average(t => t.Inclusion.Count + t.Exclusion.Count), 18, 30);
        Assert.True(trials.Select(t => t.NctId).Distinct().Count() == 4000);
    }
}
