using TrialRegistry.Data.Infrastructure;
using TrialRegistry.Data.Admins;
using TrialRegistry.Data.Uploads;

namespace TrialRegistry.Cli;

/// <summary>
/// <c>admin create|reset-password|remove|apikey --user NAME [--password-stdin] [--role uploader|curator]
/// [--name KEYNAME] [--expires YYYY-MM-DD]</c>. A password is read from standard input, or generated and shown
/// once; there is never a default password. <c>create</c> refuses an existing name (curator unless --role says
/// otherwise); <c>reset-password</c> ends the admin's sessions; <c>remove</c> takes their API keys and sessions with
/// them; <c>apikey</c> issues one more named key, with an end date if given. Each is audited as done from the CLI.
/// </summary>
public static class AdminCommand
{
    private static readonly string[] Verbs = ["create", "reset-password", "remove", "apikey"];

    public static async Task<int> RunAsync(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        string? user = null, connection = null, keyName = null;
        var passwordFromStdin = false;
        var role = Data.Model.AdminRole.Curator;
        DateTimeOffset? expires = null;
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--user" when i + 1 < args.Length: user = args[++i]; break;
                case "--connection" when i + 1 < args.Length: connection = args[++i]; break;
                case "--password-stdin": passwordFromStdin = true; break;
                case "--role" when i + 1 < args.Length && Enum.TryParse<Data.Model.AdminRole>(args[i + 1], ignoreCase: true, out var parsed): role = parsed; i++; break;
                case "--name" when i + 1 < args.Length: keyName = args[++i]; break;
                case "--expires" when i + 1 < args.Length && DateTimeOffset.TryParseExact(args[i + 1], "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.AssumeUniversal, out var end):
                    expires = end.ToUniversalTime(); i++; break;
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
                        await accounts.CreateAsync(user, password, role, CliApp.Actor, CancellationToken.None);
                    }
                    else if (!await accounts.ResetPasswordAsync(user, password, CliApp.Actor))
                    {
                        return await NoSuchAdminAsync(stderr, user);
                    }

                    await stdout.WriteLineAsync(generated
                        ? $"admin '{user}' is ready; password (shown once): {password}"
                        : $"admin '{user}' is ready");
                    return 0;
                }

                case "remove":
                    if (!await accounts.RemoveAsync(user, CliApp.Actor))
                    {
                        return await NoSuchAdminAsync(stderr, user);
                    }

                    await stdout.WriteLineAsync($"admin '{user}' removed, with their API keys and sessions");
                    return 0;

                default:
                    var key = await accounts.NewApiKeyAsync(user, keyName ?? "key", expires, CliApp.Actor);
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
