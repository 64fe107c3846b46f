using System.Diagnostics;
using System.Text;
using TrialRegistry.Ingestion.Formats;
using TrialRegistry.Ingestion.Model;
using TrialRegistry.Testing;

namespace TrialRegistry.Ingestion.Tests;

/// <summary>What scrapes do to documents must not break parsing; mutated documents never throw or hang.</summary>
public sealed class RobustnessTests
{
    public static TheoryData<string> SeedPrefixes => new(["000", "001", "002", "003", "004"]);

    private static string Content(TrialRecord r) => RecordJson.ContentHash(r with { Warnings = [] });

    [Theory]
    [MemberData(nameof(SeedPrefixes))]
    public void Crlf_bom_and_utf16_variants_give_the_same_record(string prefix)
    {
        var path = SharedPaths.Seed(prefix);
        var text = File.ReadAllText(path);
        var original = Documents.Seed(prefix);
        var variants = new Dictionary<string, byte[]>
        {
            ["crlf"] = Encoding.UTF8.GetBytes(text.Replace("\n", "\r\n", StringComparison.Ordinal)),
            ["bom"] = [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)],
            ["utf16le"] = [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)],
            ["utf16be"] = [.. Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes(text)],
            ["utf16le-no-bom"] = Encoding.Unicode.GetBytes(text),
        };
        foreach (var (name, bytes) in variants)
        {
            var parsed = DocumentParser.Default.Parse(bytes, Path.GetFileName(path));
            Assert.True(parsed.Recognized, $"{name}: {parsed.Error}");
            var record = Assert.Single(parsed.Records);
            Assert.Equal(original.RegistryId, record.RegistryId);
            Assert.True(Content(original) == Content(record), $"{prefix} {name}: the record differs from the original's");
        }
    }

    [Fact]
    public void Sections_in_another_order_give_the_same_facts()
    {
        // The editorial page with its eligibility section moved before "Quick facts".
        var text = File.ReadAllText(SharedPaths.Seed("004"));
        var facts = text.IndexOf("Quick facts", StringComparison.Ordinal);
        var start = text.IndexOf("Eligibility criteria", StringComparison.Ordinal);
        var end = text.IndexOf("Exclusion Criteria:", StringComparison.Ordinal);
        var end2 = text.IndexOf("\n\n", text.IndexOf("12. ", end, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.True(facts > 0 && start > facts && end > start && end2 > end);
        var reordered = text[..facts] + text[start..end2] + "\n\n" + text[facts..start] + text[end2..];
        var original = Documents.Seed("004");
        var record = Assert.Single(Documents.ParseText(reordered, "004-reordered.txt").Records);
        Assert.Equal(original.RegistryId, record.RegistryId);
        Assert.Equal(original.Title, record.Title);
        Assert.Equal(original.Eligibility!.Inclusion.Count, record.Eligibility!.Inclusion.Count);
        Assert.Equal(original.Eligibility.Exclusion.Count, record.Eligibility.Exclusion.Count);
        Assert.Equal(original.Arms.Count, record.Arms.Count);
    }

    [Fact]
    public void A_missing_section_gives_a_warning_not_a_failure()
    {
        var text = File.ReadAllText(SharedPaths.Seed("000"));
        var cut = text.IndexOf("Inclusion Criteria", StringComparison.OrdinalIgnoreCase);
        Assert.True(cut > 0);
        var parsed = Documents.ParseText(text[..cut], "000-truncated.txt");
        var record = Assert.Single(parsed.Records);
        Assert.Equal("NCT06586658", record.RegistryId);
        Assert.Empty(record.Eligibility?.Inclusion ?? []);
        Assert.Contains(record.Warnings, w => w.Code == WarningCodes.MissingField && w.Field == "eligibility");
    }

    [Theory]
    [InlineData(new byte[0], "empty")]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52 }, "not text")]
    public void Empty_and_binary_documents_are_unknown_with_a_reason(byte[] bytes, string reason)
    {
        var parsed = DocumentParser.Default.Parse(bytes, "x.txt");
        Assert.False(parsed.Recognized);
        Assert.Equal(DocumentParser.UnknownFormat, parsed.Format);
        Assert.Contains(reason, parsed.Error, StringComparison.Ordinal);
    }

    /// <summary>Truncations, byte flips, deleted and duplicated spans and shuffled lines of every seed and some corpus records.</summary>
    [Fact]
    public void Mutated_documents_never_throw_never_hang_and_always_say_what_they_are()
    {
        var sources = Directory.GetFiles(SharedPaths.Seeds)
            .Concat(new[] { "NCT04207047.json", "ctg-studies.json" }.Select(f => Path.Combine(SharedPaths.Corpus, "ctgov-json", f)))
            .Concat(Directory.GetFiles(Path.Combine(SharedPaths.Corpus, "ctgov-xml")).Take(3))
            .ToList();
        var random = new Random(20261124);
        var slowest = TimeSpan.Zero;
        var count = 0;
        foreach (var source in sources)
        {
            var bytes = File.ReadAllBytes(source);
            for (var i = 0; i < 150; i++)
            {
                var mutated = Mutations.Mutate(bytes, random);
                var watch = Stopwatch.StartNew();
                var parsed = DocumentParser.Default.Parse(mutated, Path.GetFileName(source));
                watch.Stop();
                slowest = watch.Elapsed > slowest ? watch.Elapsed : slowest;
                count++;
                if (parsed.Recognized)
                {
                    Assert.NotEmpty(parsed.Records);
                    Assert.All(parsed.Records, r => Assert.False(string.IsNullOrEmpty(r.RegistryId)));
                }
                else
                {
                    Assert.False(string.IsNullOrWhiteSpace(parsed.Error));
                }
            }
        }

        Assert.True(count >= 1500);
        Assert.True(slowest < TimeSpan.FromSeconds(10), $"slowest parse took {slowest}"); // a hang guard; FuzzTests bounds CPU time
    }
}
