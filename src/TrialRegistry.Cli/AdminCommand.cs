using TrialRegistry.Data.Infrastructure;
using TrialRegistry.Data.Ingestion;

namespace TrialRegistry.Cli;

/// <summary>
/// <c>admin create --user NAME [--password-stdin]</c> and <c>admin apikey --user NAME</c>. A password is read from
/// standard input, or generated and shown once; there is never a default password.
/// </summary>
public static class AdminCommand
{
    public static async Task<int> RunAsync(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        string? user = null, connection = null;
        var passwordFromStdin = false;
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--user" when i + 1 < args.Length: user = args[++i]; break;
                case "--connection" when i + 1 < args.Length: connection = args[++i]; break;
                case "--password-stdin": passwordFromStdin = true; break;
                default:
                    return await CliApp.UsageErrorAsync(stderr, $"unknown option '{args[i]}'");
            }
        }

        if (args.Length == 0 || args[0] is not ("create" or "apikey") || string.IsNullOrWhiteSpace(user))
        {
            return await CliApp.UsageErrorAsync(stderr, $"admin needs 'create' or 'apikey' and --user NAME");
        }

        using var logging = CliDatabase.Logging();
        var connectionString = await CliDatabase.ConnectAsync(connection, logging, stderr);
        if (connectionString is null)
        {
            return 1;
        }

        await using var db = RegistryDatabase.CreateContext(connectionString);
        var accounts = new AdminAccounts(db);
        if (args[0] == "create")
        {
            var generated = !passwordFromStdin;
            var password = passwordFromStdin ? (await stdin.ReadLineAsync())?.Trim() ?? string.Empty : AdminAccounts.NewSecret();
            try
            {
                await accounts.CreateOrUpdateAsync(user, password);
            }
            catch (ArgumentException ex)
            {
                await stderr.WriteLineAsync($"error: {ex.Message}");
                return 2;
            }

            await stdout.WriteLineAsync(generated
                ? $"admin '{user}' is ready; password (shown once): {password}"
                : $"admin '{user}' is ready");
            return 0;
        }

        var key = await accounts.NewApiKeyAsync(user);
        if (key is null)
        {
            await stderr.WriteLineAsync($"error: there is no admin '{user}'; create one first with: admin create --user {user}");
            return 1;
        }

        await stdout.WriteLineAsync($"API key for '{user}' (shown once; send it as X-Api-Key): {key}");
        return 0;
    }
}
