using TrialRegistry.Data.Infrastructure;
using TrialRegistry.Data.Ingestion;

namespace TrialRegistry.Cli;

/// <summary>
/// <c>admin create|reset-password|remove|apikey --user NAME [--password-stdin]</c>. A password is read from standard
/// input, or generated and shown once; there is never a default password. <c>create</c> refuses an existing name;
/// <c>reset-password</c> ends the admin's sessions; <c>remove</c> takes their API key and sessions with them.
/// </summary>
public static class AdminCommand
{
    private static readonly string[] Verbs = ["create", "reset-password", "remove", "apikey"];

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

        if (args.Length == 0 || !Verbs.Contains(args[0]) || string.IsNullOrWhiteSpace(user))
        {
            return await CliApp.UsageErrorAsync(stderr, $"admin needs one of {string.Join(", ", Verbs)} and --user NAME");
        }

        using var logging = CliDatabase.Logging();
        var connectionString = await CliDatabase.ConnectAsync(connection, logging, stderr);
        if (connectionString is null)
        {
            return 1;
        }

        await using var db = RegistryDatabase.CreateContext(connectionString);
        var accounts = new AdminAccounts(db);
        try
        {
            switch (args[0])
            {
                case "create" or "reset-password":
                {
                    var generated = !passwordFromStdin;
                    var password = passwordFromStdin ? (await stdin.ReadLineAsync())?.Trim() ?? string.Empty : AdminAccounts.NewSecret();
                    if (args[0] == "create")
                    {
                        await accounts.CreateAsync(user, password);
                    }
                    else if (!await accounts.ResetPasswordAsync(user, password))
                    {
                        return await NoSuchAdminAsync(stderr, user);
                    }

                    await stdout.WriteLineAsync(generated
                        ? $"admin '{user}' is ready; password (shown once): {password}"
                        : $"admin '{user}' is ready");
                    return 0;
                }

                case "remove":
                    if (!await accounts.RemoveAsync(user))
                    {
                        return await NoSuchAdminAsync(stderr, user);
                    }

                    await stdout.WriteLineAsync($"admin '{user}' removed, with their API key and sessions");
                    return 0;

                default:
                    var key = await accounts.NewApiKeyAsync(user);
                    if (key is null)
                    {
                        return await NoSuchAdminAsync(stderr, user);
                    }

                    await stdout.WriteLineAsync($"API key for '{user}' (shown once; send it as X-Api-Key): {key}");
                    return 0;
            }
        }
        catch (ArgumentException ex)
        {
            await stderr.WriteLineAsync($"error: {ex.Message}");
            return 2;
        }
    }

    private static async Task<int> NoSuchAdminAsync(TextWriter stderr, string user)
    {
        await stderr.WriteLineAsync($"error: there is no admin '{user}'; create one first with: admin create --user {user}");
        return 1;
    }
}
