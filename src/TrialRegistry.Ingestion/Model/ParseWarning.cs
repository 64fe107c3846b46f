using System.Text.Json;
using System.Text.Json.Serialization;

namespace TrialRegistry.Ingestion.Model;

/// <summary>
/// Something the reader of a document wants a person to know: what kind of thing (<see cref="Code"/>, one of
/// <see cref="WarningCodes"/>), a sentence saying it, and where it applies when that is known: the field, the line
/// of the document, and the raw text concerned (as CsvHelper reports bad data: the place and the text, not a bare
/// message). <see cref="ToString"/> is the sentence, which is what the parse contract's <c>warnings</c> list holds.
/// </summary>
[JsonConverter(typeof(ParseWarningJsonConverter))]
public sealed record ParseWarning(string Code, string Message)
{
    /// <summary>The record field the warning is about (the contract's name, e.g. <c>targetAntigens</c>), if one.</summary>
    public string? Field { get; init; }

    /// <summary>The 1-based line of the document the warning points at, if known.</summary>
    public int? Line { get; init; }

    /// <summary>The text concerned, cut to <see cref="RawLimit"/> characters.</summary>
    public string? Raw { get; init; }

    public const int RawLimit = 160;

    /// <summary>This warning with the text it concerns, cut short and on one line.</summary>
    public ParseWarning About(string? raw) => this with { Raw = Excerpt(raw) };

    public override string ToString() => Message;

    /// <summary>At most <see cref="RawLimit"/> characters of a text, its white space folded, marked where cut.</summary>
    public static string? Excerpt(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        var folded = string.Join(' ', raw.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return folded.Length <= RawLimit ? folded : folded[..(RawLimit - 1)] + "…";
    }

    /// <summary>A warning about a field the document does not give.</summary>
    public static ParseWarning Missing(string field, string message) => new(WarningCodes.MissingField, message) { Field = field };
}

/// <summary>The kinds of warning; stable names an integrator or the admin page can group by.</summary>
public static class WarningCodes
{
    /// <summary>The document gives no registry number; a content-derived id was used.</summary>
    public const string NoRegistryId = "no-registry-id";

    /// <summary>A field a registry record should have is not in the document.</summary>
    public const string MissingField = "missing-field";

    /// <summary>A value was taken as a guess from indirect evidence (e.g. the antigen the disease expresses).</summary>
    public const string Guessed = "guessed-value";

    /// <summary>A column of a table that the registry does not read; its values were left out.</summary>
    public const string UnmappedColumn = "unmapped-column";

    /// <summary>A pattern ran past its time limit on some text: what was found before stands, the rest was not read.</summary>
    public const string PatternTimeout = "pattern-timeout";

    /// <summary>The document's encoding could not be told for sure (or was none known): its text may be garbled.</summary>
    public const string UncertainEncoding = "uncertain-encoding";

    /// <summary>No parser could read the document; it is kept and reported.</summary>
    public const string Unreadable = "unreadable";

    /// <summary>A warning stored before warnings had kinds: its sentence only.</summary>
    public const string Legacy = "note";
}

/// <summary>
/// Stored records written before warnings had structure hold plain strings; both read back. Written as an object
/// with the unset parts left out.
/// </summary>
public sealed class ParseWarningJsonConverter : JsonConverter<ParseWarning>
{
    public override ParseWarning? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return new ParseWarning(WarningCodes.Legacy, reader.GetString() ?? string.Empty);
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("a warning is a string or an object");
        }

        string? code = null, message = null, field = null, raw = null;
        int? line = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "code": code = reader.GetString(); break;
                case "message": message = reader.GetString(); break;
                case "field": field = reader.TokenType == JsonTokenType.Null ? null : reader.GetString(); break;
                case "raw": raw = reader.TokenType == JsonTokenType.Null ? null : reader.GetString(); break;
                case "line": line = reader.TokenType == JsonTokenType.Number ? reader.GetInt32() : null; break;
                default: reader.Skip(); break;
            }
        }

        return new ParseWarning(code ?? WarningCodes.Legacy, message ?? string.Empty) { Field = field, Line = line, Raw = raw };
    }

    public override void Write(Utf8JsonWriter writer, ParseWarning value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("code", value.Code);
        writer.WriteString("message", value.Message);
        if (value.Field is not null)
        {
            writer.WriteString("field", value.Field);
        }

        if (value.Line is { } line)
        {
            writer.WriteNumber("line", line);
        }

        if (value.Raw is not null)
        {
            writer.WriteString("raw", value.Raw);
        }

        writer.WriteEndObject();
    }
}
