using Npgsql;

namespace TrialRegistry.Data.LocalDatabase;

/// <summary>
/// The database role the app and the CLI work as: it logs in, owns the registry's database, its schema and every
/// table in it (so migrations, bulk loads and index builds need nothing more), may read server activity
/// (pg_read_all_stats, for the change feed and exports), and is no superuser: it cannot read other databases,
/// create roles or databases, or run programs on the server. A superuser sets it up once per database, with the
/// extensions the migrations use (which need a superuser to create).
/// </summary>
public static class AppRole
{
    public const string DefaultName = "trialregistry_app";

    /// <summary>The extensions the migrations ask for; created here so the app role's migrations find them.</summary>
    public static readonly IReadOnlyList<string> Extensions = ["pg_trgm", "cube", "earthdistance"];

    /// <summary>
    /// Extensions created when the server has them: RUM (Debian's postgresql-15-rum) lets full text be ranked by an
    /// index; without it the search ranks every match (slower at scale, the same answers).
    /// </summary>
    public static readonly IReadOnlyList<string> OptionalExtensions = ["rum"];

    /// <summary>
    /// Creates the role (or sets its password), gives it the database and everything in its public schema, and
    /// returns the connection string that logs in as it. Run with a superuser's connection to the database.
    /// </summary>
    public static async Task<string> EnsureAsync(string superuserConnectionString, string role, string password, CancellationToken cancellationToken = default)
    {
        var builder = new NpgsqlConnectionStringBuilder(superuserConnectionString);
        var database = builder.Database ?? throw new ArgumentException("The connection string names no database.", nameof(superuserConnectionString));
        await using var connection = new NpgsqlConnection(superuserConnectionString);
        await connection.OpenAsync(cancellationToken);
        var quotedRole = Quote(role);

        // Roles are the server's: two databases of one cluster share it; concurrent starts wait for each other.
        await ExecuteAsync(connection, "SELECT pg_advisory_lock(hashtextextended('trialregistry:app-role', 0))", cancellationToken);
        try
        {
            await using (var exists = new NpgsqlCommand("SELECT 1 FROM pg_roles WHERE rolname = $1", connection) { Parameters = { new() { Value = role } } })
            {
                var verb = await exists.ExecuteScalarAsync(cancellationToken) is null ? "CREATE" : "ALTER";
                await ExecuteAsync(connection, $"{verb} ROLE {quotedRole} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD {Literal(password)}", cancellationToken);
            }

            await ExecuteAsync(connection, $"GRANT pg_read_all_stats TO {quotedRole}", cancellationToken);
            await ExecuteAsync(connection, $"ALTER DATABASE {Quote(database)} OWNER TO {quotedRole}", cancellationToken);
            foreach (var extension in Extensions)
            {
                await ExecuteAsync(connection, $"CREATE EXTENSION IF NOT EXISTS {Quote(extension)}", cancellationToken);
            }

            foreach (var extension in OptionalExtensions)
            {
                await ExecuteAsync(connection, $$"""
                    DO $$ BEGIN
                      IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = {{Literal(extension)}}) THEN
                        CREATE EXTENSION IF NOT EXISTS {{Quote(extension)}};
                      END IF;
                    END $$
                    """, cancellationToken);
            }

            await ExecuteAsync(connection, $"ALTER SCHEMA public OWNER TO {quotedRole}", cancellationToken);
            // What an earlier start created as the superuser (tables with their sequences, views, functions of ours,
            // not the extensions') becomes the role's.
            await ExecuteAsync(connection, $$"""
                DO $$
                DECLARE r record;
                BEGIN
                  FOR r IN SELECT c.oid::regclass AS name, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                           WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm') AND c.relowner <> {{Literal(role)}}::regrole
                             AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
                  LOOP
                    EXECUTE format('ALTER %s %s OWNER TO %I', CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END, r.name, {{Literal(role)}});
                  END LOOP;
                  FOR r IN SELECT c.oid::regclass AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                           WHERE n.nspname = 'public' AND c.relkind = 'S' AND c.relowner <> {{Literal(role)}}::regrole
                             AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i', 'e'))
                  LOOP
                    EXECUTE format('ALTER SEQUENCE %s OWNER TO %I', r.name, {{Literal(role)}});
                  END LOOP;
                  FOR r IN SELECT p.oid::regprocedure AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                           WHERE n.nspname = 'public' AND p.proowner <> {{Literal(role)}}::regrole
                             AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
                  LOOP
                    EXECUTE format('ALTER FUNCTION %s OWNER TO %I', r.name, {{Literal(role)}});
                  END LOOP;
                END $$
                """, cancellationToken);
        }
        finally
        {
            await ExecuteAsync(connection, "SELECT pg_advisory_unlock(hashtextextended('trialregistry:app-role', 0))", cancellationToken);
        }

        return new NpgsqlConnectionStringBuilder(superuserConnectionString) { Username = role, Password = password }.ConnectionString;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
