using System.Text.RegularExpressions;
using TrialRegistry.Ingestion.Extraction;
using TrialRegistry.Ingestion.Model;
using TrialRegistry.Ingestion.Text;

namespace TrialRegistry.Ingestion.Formats;

/// <summary>The outcome of reading one document: its records, or why none could be read.</summary>
public sealed record ParsedDocument(DecodedDocument Document, string Format, IReadOnlyList<TrialRecord> Records, string? Error)
{
    public bool Recognized => Error is null;
}

/// <summary>
/// The ingestion entry point: decodes bytes, picks the format whose parser is surest, parses, and completes each
/// record with <see cref="FreeTextReader"/>. It never throws on document content: a document no parser reads,
/// or one whose parser fails, comes back as <c>unknown</c> with the reason.
/// </summary>
public sealed class DocumentParser
{
    public const string UnknownFormat = "unknown";
    private const int MinimumConfidence = 40;
    private const int CertainScore = 95;

    public static DocumentParser Default { get; } = new(
    [
        new CtGovJsonParser(),
        new CtGovXmlParser(),
        new CtGovCsvParser(),
        new CtGovPageParser(),
        new EditorialPageParser(),
        new AggregatorPageParser(),
        new CtGovCsvRowParser(),
        new TextDocumentParser(),
    ]);

    private readonly IReadOnlyList<IDocumentParser> _parsers;

    public DocumentParser(IReadOnlyList<IDocumentParser> parsers) => _parsers = parsers;

    public IReadOnlyList<string> Formats => _parsers.Select(p => p.Format).ToList();

    public ParsedDocument Parse(ReadOnlySpan<byte> bytes, string? fileName) => Parse(DocumentDecoder.Decode(bytes, fileName));

    public ParsedDocument Parse(DecodedDocument document)
    {
        var parsed = ParseText(document);
        if (DocumentDecoder.EncodingWarning(document.Encoding) is not { } encoding)
        {
            return parsed;
        }

        // Whatever was read, each record says its text may be garbled.
        var warning = new ParseWarning(WarningCodes.UncertainEncoding, encoding);
        return parsed with { Records = [.. parsed.Records.Select(r => r with { Warnings = [warning, .. r.Warnings] })] };
    }

    private ParsedDocument ParseText(DecodedDocument document)
    {
        if (document.Text.Trim().Length == 0)
        {
            return Unknown(document, "the document is empty");
        }

        if (document.Encoding == DocumentDecoder.BinaryEncoding || LooksBinary(document.Text))
        {
            return Unknown(document, "the document is not text (it holds control characters of a binary file)");
        }

        // Time-outs of the patterns while this document is read become its warnings (PatternLimits).
        using var timeouts = PatternLimits.Watch();
        var best = Best(document);
        if (best.Score < MinimumConfidence)
        {
            // No layout claims it: prose about a trial is still read, as free text; text about no trial is unknown.
            var prose = _parsers.OfType<TextDocumentParser>().FirstOrDefault();
            if (prose is null || !TextDocumentParser.DescribesTrial(document))
            {
                return Unknown(document, "it describes no trial: no registry number, and too few words of trials or cell therapy to read it as one");
            }

            best = (prose, best.Score);
        }

        // Only what bad content causes is caught here; anything else is a parser bug, and surfaces as one.
        try
        {
            var records = best.Parser.Parse(document).Select(FreeTextReader.Complete).ToList();
            if (timeouts.Warnings.Count > 0)
            {
                records = records.Select(r => r with { Warnings = [.. r.Warnings, .. timeouts.Warnings.Distinct()] }).ToList();
            }

            return records.Count == 0
                ? Unknown(document, $"read as {best.Parser.Format}, but it holds no trial record")
                : new ParsedDocument(document, records[0].Source.Format, records, null);
        }
        catch (Exception ex) when (ex is FormatException or RegexMatchTimeoutException or CsvHelper.CsvHelperException or System.Text.Json.JsonException or System.Xml.XmlException)
        {
            return Unknown(document, $"read as {best.Parser.Format}, but {ex.Message}");
        }
    }

    /// <summary>The record of a document no parser could read: format unknown, the reason as its warning.</summary>
    public static TrialRecord UnknownRecord(DecodedDocument document, string reason) => new()
    {
        Source = new SourceInfo(document.FileName, UnknownFormat, document.Sha256),
        Warnings = [new ParseWarning(WarningCodes.Unreadable, reason)],
    };

    private static ParsedDocument Unknown(DecodedDocument document, string reason) =>
        new(document, UnknownFormat, [UnknownRecord(document, reason)], reason);

    /// <summary>
    /// The parser surest of the document; the first in order wins a tie. A signature match (a JSON study with its
    /// protocolSection, a clinical_study XML, a CSV header with an id column) is certain, and ends the search: the
    /// page parsers' line scans are the costliest part of detection, and cannot read those documents anyway.
    /// </summary>
    private (IDocumentParser Parser, int Score) Best(DecodedDocument document)
    {
        (IDocumentParser Parser, int Score) best = (_parsers[0], -1);
        foreach (var parser in _parsers)
        {
            var score = SafeDetect(parser, document);
            if (score > best.Score)
            {
                best = (parser, score);
            }

            if (score >= CertainScore)
            {
                break;
            }
        }

        return best;
    }

    private static int SafeDetect(IDocumentParser parser, DecodedDocument document)
    {
        try
        {
            return parser.Detect(document);
        }
        catch (RegexMatchTimeoutException ex)
        {
            PatternLimits.TimedOut("format", ex);
            return 0;
        }
    }

    private static bool LooksBinary(string text)
    {
        var sample = text.Length > 8192 ? text[..8192] : text;
        var control = sample.Count(c => char.IsControl(c) && c is not '\n' and not '\t' and not '\f');
        return control > sample.Length / 50 + 1 || sample.Contains('\uFFFD', StringComparison.Ordinal) && sample.Count(c => c == '\uFFFD') > sample.Length / 20;
    }
}
