using System.Text;

namespace TrialRegistry.Ingestion.Tests;

/// <summary>What scrapes, truncated downloads and hostile senders do to a document.</summary>
internal static class Mutations
{
    /// <summary>One to four of: truncate, flip bytes, delete or duplicate a span, shuffle lines, insert a long run of one character, insert a trap string.</summary>
    public static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = new List<byte>(original);
        for (var op = random.Next(1, 5); op > 0 && bytes.Count > 0; op--)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(7))
            {
                case 0:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 1:
                    for (var k = random.Next(1, 32); k > 0; k--)
                    {
                        bytes[random.Next(bytes.Count)] = (byte)random.Next(256);
                    }

                    break;
                case 2:
                    bytes.RemoveRange(at, Math.Min(random.Next(1, 2000), bytes.Count - at));
                    break;
                case 3:
                    bytes.InsertRange(at, bytes.Skip(random.Next(bytes.Count)).Take(random.Next(1, 2000)).ToList());
                    break;
                case 4:
                    var lines = Encoding.UTF8.GetString([.. bytes]).Split('\n');
                    random.Shuffle(lines);
                    bytes = [.. Encoding.UTF8.GetBytes(string.Join('\n', lines))];
                    break;
                case 5:
                    bytes.InsertRange(at, Enumerable.Repeat((byte)"x 1-(.:*"[random.Next(8)], random.Next(100, 5000)));
                    break;
                default:
                    bytes.InsertRange(at, Encoding.UTF8.GetBytes(new[] { "\r\n", "\uFEFF", "\0", "10\\^6", "×10⁹/L", "Inclusion Criteria:\n", "Exclusion Criteria:\n", "NCT12345678" }[random.Next(8)]));
                    break;
            }
        }

        return [.. bytes];
    }
}
