using System.Security.Cryptography;
using System.Text;

namespace TrialRegistry.Ingestion.Text;

/// <summary>A document as bytes were received: decoded to text with its line endings made LF.</summary>
public sealed record DecodedDocument(string? FileName, string Text, string Sha256, string Encoding);

/// <summary>
/// Turns raw bytes into text: byte order marks (UTF-8, UTF-16 LE/BE, UTF-32), BOM-less UTF-16 (told by its
/// zero bytes), strict UTF-8, and for text that is not UTF-8 the legacy encoding its bytes fit: Windows-1252 for
/// European text (lone high bytes between ASCII), GB18030 for Chinese (its characters in the common GB2312 set),
/// Shift_JIS for Japanese (kana among its characters), EUC-KR for Korean (Hangul). Where none of these is clearly
/// right the text is still read, with the likeliest, and the encoding name ends in "?" (or is
/// <see cref="UnknownEncoding"/>): <see cref="EncodingWarning"/> turns that into a warning on every record.
/// Line endings become LF and NUL characters are dropped.
/// </summary>
public static class DocumentDecoder
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    static DocumentDecoder() => System.Text.Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static System.Text.Encoding LenientGb18030 => System.Text.Encoding.GetEncoding("GB18030", EncoderFallback.ReplacementFallback, new DecoderReplacementFallback("\uFFFD"));

    private static System.Text.Encoding Strict(string name) => System.Text.Encoding.GetEncoding(name, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);

    /// <summary>The encoding of text that no encoding the decoder knows reads without errors (read as GB18030, with U+FFFD for what did not fit).</summary>
    public const string UnknownEncoding = "unknown-encoding";

    /// <summary>
    /// The warning a document's encoding calls for: null when the decoder was sure (a byte order mark, UTF-8,
    /// UTF-16, or a legacy encoding its characters clearly fit), else what it did and what to check.
    /// </summary>
    public static string? EncodingWarning(string encoding) =>
        encoding == UnknownEncoding
            ? "The document is in no encoding the registry knows (not UTF-8, UTF-16, GB18030, Shift_JIS, EUC-KR or Windows-1252): it was read with the characters that did not fit replaced. Send it as UTF-8."
            : encoding.EndsWith('?')
                ? $"The document is not UTF-8 and its encoding could not be told for sure: it was read as {encoding.TrimEnd('?')}, and names in it may be garbled. Check the text, or send it as UTF-8."
                : null;

    public static DecodedDocument Decode(ReadOnlySpan<byte> bytes, string? fileName = null)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var (text, encoding) = DecodeText(bytes);
        return new DecodedDocument(fileName, NormalizeNewlines(text), sha, encoding);
    }

    /// <summary>The "encoding" of bytes that are not text (NUL bytes outside UTF-16, or a known binary signature).</summary>
    public const string BinaryEncoding = "binary";

    private static bool LooksBinary(ReadOnlySpan<byte> bytes)
    {
        ReadOnlySpan<byte> png = [0x89, 0x50, 0x4E, 0x47];
        ReadOnlySpan<byte> zip = [0x50, 0x4B, 0x03, 0x04];
        ReadOnlySpan<byte> gzip = [0x1F, 0x8B];
        ReadOnlySpan<byte> jpeg = [0xFF, 0xD8, 0xFF];
        ReadOnlySpan<byte> pdf = "%PDF-"u8;
        if (bytes.StartsWith(png) || bytes.StartsWith(zip) || bytes.StartsWith(gzip) || bytes.StartsWith(jpeg) || bytes.StartsWith(pdf))
        {
            return true;
        }

        return bytes[..Math.Min(bytes.Length, 8192)].Contains((byte)0);
    }

    public static DecodedDocument FromString(string text, string? fileName = null) =>
        Decode(System.Text.Encoding.UTF8.GetBytes(text), fileName);

    private static (string Text, string Encoding) DecodeText(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return (Utf8Lenient(bytes[3..]), "utf-8-bom");
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0x00, 0x00]))
        {
            return (new UTF32Encoding(false, false).GetString(bytes[4..]), "utf-32le");
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return (System.Text.Encoding.Unicode.GetString(bytes[2..]), "utf-16le");
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return (System.Text.Encoding.BigEndianUnicode.GetString(bytes[2..]), "utf-16be");
        }

        if (LooksLikeUtf16(bytes, out var bigEndian))
        {
            return bigEndian
                ? (System.Text.Encoding.BigEndianUnicode.GetString(bytes), "utf-16be")
                : (System.Text.Encoding.Unicode.GetString(bytes), "utf-16le");
        }

        if (LooksBinary(bytes))
        {
            return (System.Text.Encoding.Latin1.GetString(bytes[..Math.Min(bytes.Length, 4096)]), BinaryEncoding);
        }

        try
        {
            return (StrictUtf8.GetString(bytes), "utf-8");
        }
        catch (DecoderFallbackException)
        {
            return Legacy(bytes);
        }
    }

    /// <summary>
    /// Text that is not UTF-8: the legacy encoding whose characters the bytes make plausible text in, judged by
    /// what the decoded characters are (common simplified Chinese, kana, Hangul, Latin letters between ASCII), not
    /// by the file's name or origin.
    /// </summary>
    private static (string Text, string Encoding) Legacy(ReadOnlySpan<byte> bytes)
    {
        // European text: the high bytes stand alone between ASCII (é, ü, ß), where every CJK encoding pairs them.
        int high = 0, paired = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] >= 0x80)
            {
                high++;
                if (i + 1 < bytes.Length && bytes[i + 1] >= 0x80)
                {
                    paired++;
                    i++;
                }
            }
        }

        var latin = TryDecode(bytes, "windows-1252");
        if (latin is not null && paired <= high * 0.2)
        {
            return (latin, "windows-1252");
        }

        // Each CJK encoding reads the others' bytes as valid but unlikely characters, so each is judged by the
        // characters its reading gives: Korean text is almost all Hangul; Japanese has kana among its kanji (its
        // kana bytes read as rare GBK characters in GB18030); Chinese stays in the common GB2312 set.
        var chinese = TryDecode(bytes, "GB18030");
        var japanese = TryDecode(bytes, "shift_jis");
        var korean = TryDecode(bytes, "euc-kr");
        var hangul = korean is null ? 0 : Share(korean, c => c is >= '\uAC00' and <= '\uD7A3');
        var kana = japanese is null ? 0 : Share(japanese, c => c is >= '\u3040' and <= '\u30FF');
        var common = chinese is null ? 0 : Share(chinese, InGb2312);
        if (korean is not null && hangul >= 0.95)
        {
            return (korean, "euc-kr");
        }

        if (japanese is not null && kana >= 0.2 && common < 0.9)
        {
            return (japanese, "shift_jis");
        }

        if (chinese is not null && common >= 0.9 && kana < 0.2)
        {
            return (chinese, "gb18030");
        }

        // None clearly: read with the likeliest and say so.
        var likeliest = new (string? Text, string Encoding, double Score)[] { (chinese, "gb18030", common), (japanese, "shift_jis", kana * 3), (korean, "euc-kr", hangul) }
            .Where(c => c.Text is not null)
            .OrderByDescending(c => c.Score)
            .FirstOrDefault();
        return likeliest.Text is null ? (LenientGb18030.GetString(bytes), UnknownEncoding) : (likeliest.Text, likeliest.Encoding + "?");
    }

    /// <summary>
    /// The bytes in an encoding, or null when they are not text in it: a byte the decoder rejects, or one it maps to
    /// a C1 control or a private-use character (the code pages decoders' stand-ins for bytes their tables lack).
    /// </summary>
    private static string? TryDecode(ReadOnlySpan<byte> bytes, string encoding)
    {
        try
        {
            var text = Strict(encoding).GetString(bytes);
            return text.Any(c => c is >= '\u0080' and <= '\u009F' or >= '\uE000' and <= '\uF8FF') ? null : text;
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>The share of the text's non-ASCII characters (letters and symbols, not spaces) that <paramref name="fits"/> accepts; 0 without any.</summary>
    private static double Share(string text, Func<char, bool> fits)
    {
        int all = 0, fitting = 0;
        foreach (var c in text)
        {
            if (c >= 0x80 && !char.IsWhiteSpace(c) && !char.IsSurrogate(c))
            {
                all++;
                if (fits(c))
                {
                    fitting++;
                }
            }
        }

        return all == 0 ? 0 : Math.Min(1, (double)fitting / all);
    }

    /// <summary>
    /// Whether a character is in GB2312, the common simplified Chinese set: its GB18030 bytes are one pair with both
    /// bytes from A1 to FE (the symbols and the two levels of hanzi). .NET's "gb2312" is code page 936, the much
    /// larger GBK, so the bytes are checked rather than the encoder asked.
    /// </summary>
    private static bool InGb2312(char c)
    {
        Span<byte> bytes = stackalloc byte[4];
        var count = LenientGb18030.GetBytes([c], bytes);
        return count == 2 && bytes[0] is >= 0xA1 and <= 0xF7 && bytes[1] is >= 0xA1 and <= 0xFE;
    }

    private static string Utf8Lenient(ReadOnlySpan<byte> bytes) => System.Text.Encoding.UTF8.GetString(bytes);

    private static bool LooksLikeUtf16(ReadOnlySpan<byte> bytes, out bool bigEndian)
    {
        bigEndian = false;
        var sample = bytes[..Math.Min(bytes.Length, 512)];
        if (sample.Length < 4)
        {
            return false;
        }

        int evenZeros = 0, oddZeros = 0;
        for (var i = 0; i < sample.Length; i++)
        {
            if (sample[i] == 0)
            {
                if (i % 2 == 0) evenZeros++; else oddZeros++;
            }
        }

        var half = sample.Length / 2;
        if (oddZeros > half * 0.4 && evenZeros < half * 0.05)
        {
            return true;
        }

        if (evenZeros > half * 0.4 && oddZeros < half * 0.05)
        {
            bigEndian = true;
            return true;
        }

        return false;
    }

    private static string NormalizeNewlines(string text)
    {
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        return text.Replace("\r\n", "\n", StringComparison.Ordinal)
            .Replace('\r', '\n')
            .Replace("\0", string.Empty, StringComparison.Ordinal);
    }
}
