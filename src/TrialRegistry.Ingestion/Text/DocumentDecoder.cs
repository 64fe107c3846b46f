using System.Security.Cryptography;
using System.Text;

namespace TrialRegistry.Ingestion.Text;

/// <summary>A document as bytes were received: decoded to text with its line endings made LF.</summary>
public sealed record DecodedDocument(string? FileName, string Text, string Sha256, string Encoding);

/// <summary>
/// Turns raw bytes into text: byte order marks (UTF-8, UTF-16 LE/BE, UTF-32), BOM-less UTF-16 (told by its
/// zero bytes), strict UTF-8, and GB18030 for Chinese registry exports that are not UTF-8. Line endings
/// become LF and NUL characters are dropped.
/// </summary>
public static class DocumentDecoder
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    static DocumentDecoder() => System.Text.Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static System.Text.Encoding StrictGb18030 => System.Text.Encoding.GetEncoding("GB18030", EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);

    private static System.Text.Encoding LenientGb18030 => System.Text.Encoding.GetEncoding("GB18030", EncoderFallback.ReplacementFallback, new DecoderReplacementFallback("\uFFFD"));

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
            // Not UTF-8: Chinese registries export GB18030, which also covers plain ASCII. Bytes that are not
            // GB18030 either become U+FFFD, so that callers can tell text in no known encoding.
            try
            {
                return (StrictGb18030.GetString(bytes), "gb18030");
            }
            catch (DecoderFallbackException)
            {
                return (LenientGb18030.GetString(bytes), "unknown-encoding");
            }
        }
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
