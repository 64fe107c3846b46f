using Npgsql;
using TrialRegistry.Data.Infrastructure;
using TrialRegistry.Data.LocalDatabase;
using TrialRegistry.Data.Store;
using TrialRegistry.Synthetic;
using TrialRegistry.Testing;

namespace TrialRegistry.Data.Tests;

/// <summary>
/// The role the app works as (the local cluster's set-up, <see cref="AppRole"/>): no superuser, yet it migrates a
/// fresh database, stores documents, bulk-loads (triggers off and on, indexes dropped and built, VACUUM) and takes over
/// what a superuser had created, while a superuser's powers are refused to it.
/// </summary>
public sealed class AppRoleTests(PostgresServer server)
{
    [Fact]
    public async Task The_app_role_owns_and_runs_the_registry_without_being_a_superuser()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var role = $"tr_app_{Guid.NewGuid():N}"[..20];
        var superuser = await server.CreateDatabaseAsync(migrate: false);
        try
        {
            // A table a superuser made earlier becomes the role's too.
            await using (var connection = new NpgsqlConnection(superuser))
            {
                await connection.OpenAsync(cancellation);
                await using var create = new NpgsqlCommand("CREATE TABLE made_by_superuser (id int)", connection);
                await create.ExecuteNonQueryAsync(cancellation);
            }

            var app = await AppRole.EnsureAsync(superuser, role, "a test password 12345", cancellation);
            Assert.Equal(role, new NpgsqlConnectionStringBuilder(app).Username);
            await RegistryConnection.MigrateAsync(app, cancellation);

            await using var dataSource = NpgsqlDataSource.Create(app);
            var importer = new DocumentImporter(new TrialStore(dataSource));
            foreach (var seed in Directory.EnumerateFiles(SharedPaths.Seeds))
            {
                await importer.ImportFileAsync(seed, new AdminAction("test", "test"), cancellation);
            }

            var folder = Directory.CreateTempSubdirectory("tr-approle-");
            try
            {
                CorpusWriter.Write(folder.FullName, 40, seed: 5);
                var bulk = await new BulkImporter(dataSource).ImportAsync(DocumentImporter.ExpandPaths([folder.FullName]), cancellationToken: cancellation);
                Assert.Empty(bulk.Failed);
            }
            finally
            {
                folder.Delete(recursive: true);
            }

            await using (var connection = await dataSource.OpenConnectionAsync(cancellation))
            {
                Assert.False(await ScalarAsync<bool>(connection, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user", cancellation));
                Assert.Equal(0L, await ScalarAsync<long>(connection,
                    "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'm') AND c.relowner <> current_user::regrole", cancellation));
                Assert.True(await ScalarAsync<long>(connection, "SELECT count(*) FROM trials", cancellation) >= 45);

                // What only a superuser may do is refused.
                foreach (var sql in new[] { "CREATE ROLE someone_else", "SELECT count(*) FROM pg_authid", "COPY trials TO '/tmp/trials.out'", "ALTER SYSTEM SET work_mem = '1GB'" })
                {
                    var refused = await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync<object>(connection, sql, cancellation));
                    Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
                }
            }
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(superuser);
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(superuser) { Database = "postgres" }.ConnectionString);
            await connection.OpenAsync(CancellationToken.None);
            await using var drop = new NpgsqlCommand($"DROP ROLE IF EXISTS \"{role}\"", connection);
            await drop.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
