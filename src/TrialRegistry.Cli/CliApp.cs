using System.Text;
using TrialRegistry.Ingestion.Formats;
using TrialRegistry.Ingestion.Model;

namespace TrialRegistry.Cli;

/// <summary>The command line: <c>parse</c> prints the parse contract; <c>import</c> stores documents.</summary>
public static class CliApp
{
    /// <summary>Who the audit log names for what the command line writes: the CLI and the operating-system user running it.</summary>
    public static string Actor => $"cli:{Environment.UserName}";

    public const string Usage = """
        trialregistry — CAR-T trial registry tools

        Usage:
          trialregistry parse FILE...          print the parse JSON of each document (contract: shared/docs/parse-output.md)
              [--layout]                       also print on stderr how a text page was laid out (labels, criteria blocks)
          trialregistry eval DIR [--brief]     score the parser on a labelled set (DIR/docs, DIR/expected): accuracy per
                                               field, the misses, the totals (e.g. ../shared/corpus/labelled)
          trialregistry import PATH...         store documents (files or folders) in PostgreSQL
              [--connection CONNECTION_STRING] default: ConnectionStrings__Registry, else the local cluster under .data/
              [--bulk]                         parse on every core and write new trials with COPY (for large loads)
          trialregistry dedupe [--apply]       list trials stored without a registry id that are a registered trial
              [--connection CONNECTION_STRING] (dry run); --apply merges the certain ones, keeping their history
          trialregistry admin create --user NAME   create an admin: password generated and shown once,
              [--password-stdin]                or read from standard input (at least 12 characters)
          trialregistry admin reset-password --user NAME [--password-stdin]   new password; ends their sessions
          trialregistry admin remove --user NAME   remove an admin with their API key and sessions
          trialregistry admin apikey --user NAME   issue the admin's API key for the write API (shown once)
          trialregistry sync [--base-url URL]  one run of the sync from ClinicalTrials.gov API v2 (Sync__BaseUrl,
              [--connection CONNECTION_STRING] Sync__Query, Sync__PageSize): changed studies only after the first
          trialregistry generate --count N --out DIR   write N synthetic CAR-T trials in every supported format
              [--seed S]                       (deterministic for a seed; NCT numbers from NCT50000000)
          trialregistry bench parse PATH...    single-threaded parse throughput per format [--seconds N, default 10]
          trialregistry bench import PATH... [--connection CS]   a bulk load, timed end to end (trials/s)
          trialregistry bench search [--connection CS] [--url URL] [--rounds N] [--facet-rounds N] [--queries all|mix|places]
                                               search latency p50/p95/p99 of a fixed query mix: in-process,
                                               raw Npgsql baseline, and over HTTP against a running registry

        Exit codes: 0 success, 1 some documents failed, 2 usage error.
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        stdout ??= Console.Out;
        stderr ??= Console.Error;
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            await stdout.WriteLineAsync(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        return args[0] switch
        {
            "parse" => await ParseAsync(args[1..], stdout, stderr),
            "eval" => await EvalAsync(args[1..], stdout, stderr),
            "import" => await ImportCommand.RunAsync(args[1..], stdout, stderr),
            "generate" => await GenerateCommand.RunAsync(args[1..], stdout, stderr),
            "bench" => await BenchCommand.RunAsync(args[1..], stdout, stderr),
            "admin" => await AdminCommand.RunAsync(args[1..], Console.In, stdout, stderr),
            "dedupe" => await DedupeCommand.RunAsync(args[1..], stdout, stderr),
            "sync" => await SyncCommand.RunAsync(args[1..], stdout, stderr),
            _ => await UsageErrorAsync(stderr, $"unknown command '{args[0]}'"),
        };
    }

    /// <summary>Says what was wrong with the command line, shows the usage, and returns the usage-error exit code.</summary>
    internal static async Task<int> UsageErrorAsync(TextWriter stderr, string message)
    {
        await stderr.WriteLineAsync($"error: {message}\n\n{Usage}");
        return 2;
    }

    private static async Task<int> EvalAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var brief = args.Contains("--brief");
        var folders = args.Where(a => a != "--brief").ToList();
        if (folders.Count != 1)
        {
            return await UsageErrorAsync(stderr, "eval needs one DIR holding docs/ and expected/");
        }

        try
        {
            var report = Ingestion.Evaluation.LabelledSet.Evaluate(folders[0], DocumentParser.Default);
            await stdout.WriteLineAsync(report.ToTable(withMisses: !brief));
            return 0;
        }
        catch (DirectoryNotFoundException ex)
        {
            await stderr.WriteLineAsync($"error: {ex.Message}");
            return 2;
        }
    }

    private static async Task<int> ParseAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var layout = args.Contains("--layout");
        var files = args.Where(a => a != "--layout").ToArray();
        if (files.Length == 0)
        {
            return await UsageErrorAsync(stderr, "parse needs at least one FILE");
        }

        var records = new List<TrialRecord>();
        var failed = false;
        foreach (var file in files)
        {
            if (!File.Exists(file))
            {
                await stderr.WriteLineAsync($"error: {file}: no such file");
                failed = true;
                continue;
            }

            var bytes = await File.ReadAllBytesAsync(file);
            if (layout)
            {
                var page = new TextLayout(Ingestion.Text.DocumentDecoder.Decode(bytes, file).Text);
                foreach (var field in page.Fields)
                {
                    await stderr.WriteLineAsync($"{field.Line,4} {field.Field ?? "-",-16} {field.Label} = {field.Value}");
                }

                foreach (var block in page.Criteria)
                {
                    await stderr.WriteLineAsync($"criteria {block.Kind}: {block.Lines.Count} lines");
                }

                var ids = Ingestion.Extraction.RegistryIds.Find(string.Join('\n', page.Lines)).Take(1).Select(i => i.Id);
                var context = new Ingestion.Extraction.TrialContext(ids, page.Values("title").Select(v => v.Value).Take(1));
                foreach (var sentence in Ingestion.Text.Sentences.Split(string.Join('\n', page.Body)))
                {
                    await stderr.WriteLineAsync($"{(context.IsBackground(sentence) ? "background" : "own       ")} | {sentence}");
                }
            }

            var parsed = DocumentParser.Default.Parse(bytes, Path.GetFileName(file));
            if (!parsed.Recognized)
            {
                await stderr.WriteLineAsync($"warning: {file}: {parsed.Error}");
            }

            records.AddRange(parsed.Records);
        }

        if (records.Count > 0)
        {
            // One file: its object (or the array of a multi-trial file); several files: an array, in the order given.
            await stdout.WriteLineAsync(ParseOutput.ToJson(records, array: files.Length > 1));
        }

        return failed ? 1 : 0;
    }
}
