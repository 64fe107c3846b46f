using TrialRegistry.Ingestion.Model;
using TrialRegistry.Ingestion.Text;

namespace TrialRegistry.Ingestion.Formats;

/// <summary>
/// One document format. <see cref="Detect"/> says how sure the parser is that a text is of its format (0: not at
/// all, 100: certain); <see cref="Parse"/> reads what the format labels, leaving free-text extraction (antigens,
/// doses, routes) to <see cref="Extraction.FreeTextReader"/>. Parsers never throw on bad text: they return what they could read
/// with warnings.
/// </summary>
public interface IDocumentParser
{
    string Format { get; }

    int Detect(DecodedDocument document);

    IEnumerable<TrialRecord> Parse(DecodedDocument document);
}
