using System.Text.Json;
using System.Text.RegularExpressions;
using TrialRegistry.Ingestion.Extraction;
using TrialRegistry.Ingestion.Formats;
using TrialRegistry.Ingestion.Model;
using TrialRegistry.Ingestion.Text;

namespace TrialRegistry.Ingestion.Tests;

/// <summary>Warnings say what kind of thing, where (field, line) and about which text; a pattern's time-out is one.</summary>
public sealed class WarningTests
{
    /// <summary>A parser whose title pattern backtracks catastrophically, under a 1 ms limit: a real time-out.</summary>
    private sealed class SlowTitleParser : IDocumentParser
    {
        public string Format => "slow-test";

        public int Detect(DecodedDocument document) => 100;

        public IEnumerable<TrialRecord> Parse(DecodedDocument document)
        {
            string? title = null;
            try
            {
                title = Regex.Match(document.Text, "^(a+)+$", RegexOptions.None, TimeSpan.FromMilliseconds(1)).Value;
            }
            catch (RegexMatchTimeoutException ex)
            {
                PatternLimits.TimedOut("title", ex);
            }

            yield return new TrialRecord { Source = new SourceInfo(document.FileName, Format, document.Sha256), RegistryId = "NCT00000001", Title = title };
        }
    }

    [Fact]
    public void A_pattern_that_runs_out_of_time_is_a_warning_of_the_document_with_the_field_and_text()
    {
        var text = new string('a', 40) + "!";
        var parsed = new DocumentParser([new SlowTitleParser()]).Parse(DocumentDecoder.Decode(System.Text.Encoding.UTF8.GetBytes(text), "slow.txt"));

        var record = Assert.Single(parsed.Records);
        Assert.Null(record.Title);
        var warning = Assert.Single(record.Warnings, w => w.Code == WarningCodes.PatternTimeout);
        Assert.Equal("title", warning.Field);
        Assert.StartsWith("aaaa", warning.Raw, StringComparison.Ordinal);
    }

    [Fact]
    public void Time_outs_outside_a_document_are_not_kept_and_scopes_do_not_leak_into_each_other()
    {
        var ex = new RegexMatchTimeoutException("some text", "x", TimeSpan.FromSeconds(2));
        PatternLimits.TimedOut("doseLevels", ex);
        using (var outer = PatternLimits.Watch())
        {
            using (var inner = PatternLimits.Watch())
            {
                PatternLimits.TimedOut("routes", ex);
                Assert.Equal("routes", Assert.Single(inner.Warnings).Field);
            }

            PatternLimits.TimedOut("phases", ex);
            Assert.Equal("phases", Assert.Single(outer.Warnings).Field);
        }

        using var after = PatternLimits.Watch();
        Assert.Empty(after.Warnings);
    }

    [Fact]
    public void Raw_text_is_folded_to_one_line_and_cut()
    {
        var warning = new ParseWarning(WarningCodes.Guessed, "m").About("first line\n   second\tline " + new string('x', 400));
        Assert.StartsWith("first line second line x", warning.Raw, StringComparison.Ordinal);
        Assert.Equal(ParseWarning.RawLimit, warning.Raw!.Length);
        Assert.EndsWith("…", warning.Raw, StringComparison.Ordinal);
        Assert.Null(new ParseWarning(WarningCodes.Guessed, "m").About("  \n ").Raw);
    }

    [Fact]
    public void Stored_records_with_plain_string_warnings_still_read_and_new_ones_round_trip()
    {
        var legacy = RecordJson.Deserialize("""{"source":{"fileName":"a.txt","format":"free-text","sha256":"00"},"warnings":["no phase found"]}""");
        var old = Assert.Single(legacy.Warnings);
        Assert.Equal(WarningCodes.Legacy, old.Code);
        Assert.Equal("no phase found", old.Message);

        var warning = new ParseWarning(WarningCodes.UnmappedColumn, "column 'x' is not read") { Line = 1, Field = null }.About("x");
        var json = RecordJson.Serialize(legacy with { Warnings = [warning] });
        Assert.Equal(warning, Assert.Single(RecordJson.Deserialize(json).Warnings));
        Assert.DoesNotContain("\"field\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void The_parse_output_gives_each_warning_as_a_sentence_and_in_detail()
    {
        var record = new TrialRecord
        {
            Source = new SourceInfo("a.txt", "free-text", "00"),
            Warnings = [ParseWarning.Missing("phases", "no phase found")],
        };
        using var json = JsonDocument.Parse(ParseOutput.ToJson([record]));
        Assert.Equal("no phase found", json.RootElement.GetProperty("warnings")[0].GetString());
        var detail = json.RootElement.GetProperty("warningDetails")[0];
        Assert.Equal(WarningCodes.MissingField, detail.GetProperty("code").GetString());
        Assert.Equal("phases", detail.GetProperty("field").GetString());
    }
}
