using TrialRegistry.Data.Admins;
using TrialRegistry.Data.Uploads;
using TrialRegistry.Data.Model;
using TrialRegistry.Testing;

namespace TrialRegistry.Data.Tests;

/// <summary>
/// Admin accounts against a real PostgreSQL, with a clock the test moves: the per-account lockout and its back-off,
/// disabled accounts, and named API keys that expire and are revoked.
/// </summary>
public sealed class AdminAccountsTests(PostgresServer server) : DatabaseTestBase(server)
{
    private const string Password = "a sturdy test passphrase 7";

    /// <summary>A clock that stands still until the test moves it.</summary>
    private sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public async Task Wrong_passwords_lock_the_account_against_the_right_one_for_a_time_that_doubles()
    {
        var clock = new Clock();
        await using (var db = Db())
        {
            await new AdminAccounts(db, clock).CreateAsync("ada", Password, AdminRole.Curator, "test", TestContext.Current.CancellationToken);
        }

        async Task<SignInOutcome> TryAsync(string password)
        {
            await using var db = Db();
            return (await new AdminAccounts(db, clock).SignInAsync("ada", password, TestContext.Current.CancellationToken)).Outcome;
        }

        for (var i = 1; i < AdminAccounts.LockoutThreshold; i++)
        {
            Assert.Equal(SignInOutcome.WrongPassword, await TryAsync("not the password " + i));
        }

        // Below the threshold the right password still works and clears the count.
        Assert.Equal(SignInOutcome.Signed, await TryAsync(Password));
        for (var i = 0; i < AdminAccounts.LockoutThreshold; i++)
        {
            Assert.Equal(SignInOutcome.WrongPassword, await TryAsync("not the password " + i));
        }

        Assert.Equal(SignInOutcome.Locked, await TryAsync(Password));
        clock.Now += AdminAccounts.FirstLockout + TimeSpan.FromSeconds(1);
        // Open again, and one more wrong password locks it for twice as long.
        Assert.Equal(SignInOutcome.WrongPassword, await TryAsync("still wrong"));
        clock.Now += AdminAccounts.FirstLockout + TimeSpan.FromSeconds(1);
        Assert.Equal(SignInOutcome.Locked, await TryAsync(Password));
        clock.Now += AdminAccounts.FirstLockout;
        Assert.Equal(SignInOutcome.Signed, await TryAsync(Password));

        await using var check = Db();
        Assert.Equal(2, check.AuditEntries.Count(a => a.Action == "admin-locked" && a.Target == "ada"));
    }

    [Fact]
    public async Task Named_keys_work_until_they_expire_are_revoked_or_their_admin_is_disabled()
    {
        var clock = new Clock();
        string forever, monthly;
        await using (var db = Db())
        {
            var accounts = new AdminAccounts(db, clock);
            await accounts.CreateAsync("bea", Password, AdminRole.Uploader, "test", TestContext.Current.CancellationToken);
            forever = (await accounts.NewApiKeyAsync("bea", "nightly import", null, "test", TestContext.Current.CancellationToken))!;
            monthly = (await accounts.NewApiKeyAsync("bea", "one month", clock.Now.AddDays(30), "test", TestContext.Current.CancellationToken))!;
            await Assert.ThrowsAsync<ArgumentException>(() => accounts.NewApiKeyAsync("bea", "", null, "test", TestContext.Current.CancellationToken));
            await Assert.ThrowsAsync<ArgumentException>(() => accounts.NewApiKeyAsync("bea", "the past", clock.Now.AddDays(-1), "test", TestContext.Current.CancellationToken));
        }

        async Task<string?> WhoseAsync(string key)
        {
            await using var db = Db();
            return (await new AdminAccounts(db, clock).FindByApiKeyAsync(key, TestContext.Current.CancellationToken))?.UserName;
        }

        Assert.Equal("bea", await WhoseAsync(forever));
        Assert.Equal("bea", await WhoseAsync(monthly));
        Assert.Null(await WhoseAsync(forever + "x"));

        clock.Now = clock.Now.AddDays(31);
        Assert.Null(await WhoseAsync(monthly));
        Assert.Equal("bea", await WhoseAsync(forever));

        await using (var db = Db())
        {
            var accounts = new AdminAccounts(db, clock);
            var list = await accounts.ListAsync(TestContext.Current.CancellationToken);
            var keys = list.Single(a => a.UserName == "bea").Keys;
            Assert.Equal(["one month", "nightly import"], keys.Select(k => k.Name));
            Assert.All(keys, k => Assert.DoesNotContain(k.Prefix, new[] { forever, monthly }));
            Assert.NotNull(keys.Single(k => k.Name == "nightly import").LastUsedAt);

            Assert.True(await accounts.SetDisabledAsync("bea", disabled: true, "test", TestContext.Current.CancellationToken));
        }

        Assert.Null(await WhoseAsync(forever));
        await using (var db = Db())
        {
            var accounts = new AdminAccounts(db, clock);
            Assert.Equal(SignInOutcome.Disabled, (await accounts.SignInAsync("bea", Password, TestContext.Current.CancellationToken)).Outcome);
            Assert.True(await accounts.SetDisabledAsync("bea", disabled: false, "test", TestContext.Current.CancellationToken));
        }

        Assert.Equal("bea", await WhoseAsync(forever));
        await using (var db = Db())
        {
            var accounts = new AdminAccounts(db, clock);
            var key = (await accounts.ListAsync(TestContext.Current.CancellationToken)).Single(a => a.UserName == "bea").Keys.Single(k => k.Name == "nightly import");
            Assert.True(await accounts.RevokeApiKeyAsync(key.Id, "test", TestContext.Current.CancellationToken));
            Assert.False(await accounts.RevokeApiKeyAsync(key.Id, "test", TestContext.Current.CancellationToken));
            await Assert.ThrowsAsync<ArgumentException>(() => accounts.SetDisabledAsync("test", disabled: true, "test", TestContext.Current.CancellationToken));
            await Assert.ThrowsAsync<ArgumentException>(() => accounts.SetRoleAsync("test", AdminRole.Uploader, "test", TestContext.Current.CancellationToken));
        }

        Assert.Null(await WhoseAsync(forever));
        await using var audit = Db();
        Assert.Equal(
            ["admin-api-key-issued", "admin-api-key-issued", "admin-api-key-revoked", "admin-created", "admin-disabled", "admin-enabled"],
            audit.AuditEntries.Where(a => a.Target == "bea").Select(a => a.Action).ToList().Order(StringComparer.Ordinal));
    }
}
