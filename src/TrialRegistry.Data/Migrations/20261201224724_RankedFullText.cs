using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TrialRegistry.Data.Migrations
{
    /// <summary>
    /// Full text ranked by an index where the server has the RUM extension (Debian's postgresql-15-rum; the local
    /// cluster's set-up and the compose image create it): a RUM index on the stored tsvector, whose ordered scan
    /// returns matches nearest first without reading each match's tsvector from the table, replaces the GIN index
    /// (RUM answers <c>@@</c> as well), and <c>text_distance</c> names its distance operator for EF Core. Where RUM
    /// is missing nothing changes: the search ranks with <c>ts_rank</c>, as before.
    /// </summary>
    public partial class RankedFullText : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DO $$ BEGIN
                  -- A superuser's migration (the tests', a server of your own) creates the extension where the server
                  -- has it; the app's role finds it created by the set-up (AppRole, the compose image's init script).
                  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'rum')
                     AND EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'rum')
                     AND (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
                    CREATE EXTENSION rum;
                  END IF;
                  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'rum') THEN
                    CREATE OR REPLACE FUNCTION public.text_distance(tsvector, tsquery) RETURNS real
                      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT $1 <=> $2';
                    CREATE INDEX IF NOT EXISTS ix_trials_search_rum ON trials USING rum (search_vector rum_tsvector_ops);
                    DROP INDEX IF EXISTS ix_trials_search_vector;
                  END IF;
                END $$
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("CREATE INDEX IF NOT EXISTS ix_trials_search_vector ON trials USING gin (search_vector)");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_trials_search_rum");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS public.text_distance(tsvector, tsquery)");
        }
    }
}
