using System.Text;
using TrialRegistry.Ingestion.Formats;
using TrialRegistry.Ingestion.Model;
using TrialRegistry.Ingestion.Text;

namespace TrialRegistry.Ingestion.Tests;

/// <summary>
/// Text that is not UTF-8 is read in the legacy encoding its bytes make sense in (told by the characters each
/// reading gives, never by the file name), and where the decoder cannot be sure every record says so.
/// </summary>
public sealed class EncodingTests
{
    static EncodingTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    // Sentences of each language about a trial, written for this test.
    private const string Japanese = "NCT01234567 再発または難治性のB細胞リンパ腫の患者を対象とした、CD19を標的とするCAR-T細胞療法の第1相試験です。";
    private const string Chinese = "NCT01234567 这是一项针对复发或难治性B细胞淋巴瘤患者的CD19 CAR-T细胞治疗的一期临床研究。";
    private const string Korean = "NCT01234567 재발성 또는 불응성 B세포 림프종 환자를 대상으로 한 CD19 CAR-T 세포 치료의 제1상 임상시험입니다.";
    private const string German = "NCT01234567 Eine Phase-1-Studie mit CD19-gerichteten CAR-T-Zellen für Patienten mit rezidiviertem Lymphom; Präparat wird über Venenzugang gegeben, Größe der Dosis abhängig vom Körpergewicht.";

    [Theory]
    [InlineData(Japanese, "shift_jis", "shift_jis")]
    [InlineData(Chinese, "GB18030", "gb18030")]
    [InlineData(Korean, "euc-kr", "euc-kr")]
    [InlineData(German, "windows-1252", "windows-1252")]
    public void Each_legacy_encoding_is_told_by_what_its_text_reads_as(string text, string encoding, string expected)
    {
        var bytes = Encoding.GetEncoding(encoding).GetBytes(text);
        foreach (var name in new[] { "note.txt", "chinese-registry.txt", null })
        {
            var decoded = DocumentDecoder.Decode(bytes, name);
            Assert.Equal(expected, decoded.Encoding);
            Assert.Equal(text, decoded.Text);
            Assert.Null(DocumentDecoder.EncodingWarning(decoded.Encoding));
        }

        var parsed = DocumentParser.Default.Parse(bytes, "note.txt");
        Assert.DoesNotContain(parsed.Records.SelectMany(r => r.Warnings), w => w.Code == WarningCodes.UncertainEncoding);
    }

    [Fact]
    public void Bytes_no_encoding_clearly_fits_are_read_and_every_record_says_the_encoding_is_unsure()
    {
        // Lead bytes that every CJK encoding reads as a rare character or punctuation, between ASCII about a trial.
        var bytes = Encoding.ASCII.GetBytes("NCT01234567 Phase 1 study of CD19 CAR-T cells in lymphoma. Sponsor: ")
            .Concat(new byte[] { 0x81, 0x40, 0x81, 0x41, 0x81, 0x42, 0x81, 0x43 })
            .Concat(Encoding.ASCII.GetBytes(" Hospital. Status: Recruiting."))
            .ToArray();
        var decoded = DocumentDecoder.Decode(bytes, "note.txt");
        Assert.EndsWith("?", decoded.Encoding, StringComparison.Ordinal);
        Assert.Contains("NCT01234567 Phase 1 study", decoded.Text, StringComparison.Ordinal);

        var parsed = DocumentParser.Default.Parse(bytes, "note.txt");
        Assert.NotEmpty(parsed.Records);
        Assert.All(parsed.Records, r => Assert.Contains(r.Warnings, w => w.Code == WarningCodes.UncertainEncoding && w.Message.Contains("could not be told for sure", StringComparison.Ordinal)));

        // UTF-8 stays certain.
        Assert.Null(DocumentDecoder.EncodingWarning(DocumentDecoder.Decode(Encoding.UTF8.GetBytes(Japanese)).Encoding));
    }
}
