using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TrialRegistry.Data.Migrations
{
    /// <inheritdoc />
    /// <summary>
    /// A version of the trials that every writing transaction increments once, as it commits: a deferred trigger
    /// on trials (any writer: the store, a bulk COPY, the CLI in another process). The increment takes the one
    /// row's lock only while committing, so increments follow commit order, and a reader that sees version N sees
    /// every change counted up to N. The facet index compares it with its snapshot's.
    /// </summary>
    public partial class TrialChangeVersion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE trial_change_version (id integer PRIMARY KEY CHECK (id = 1), version bigint NOT NULL);
                INSERT INTO trial_change_version VALUES (1, 0);
                """);
            migrationBuilder.Sql("""
                CREATE FUNCTION count_trial_change() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    -- Once per transaction, however many rows it wrote.
                    IF current_setting('trialregistry.counted_xid', true) IS DISTINCT FROM txid_current()::text THEN
                        PERFORM set_config('trialregistry.counted_xid', txid_current()::text, true);
                        UPDATE trial_change_version SET version = version + 1 WHERE id = 1;
                    END IF;
                    RETURN NULL;
                END
                $$
                """);
            migrationBuilder.Sql("""
                CREATE CONSTRAINT TRIGGER trials_changed AFTER INSERT OR UPDATE OR DELETE ON trials
                DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION count_trial_change()
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER trials_changed ON trials");
            migrationBuilder.Sql("DROP FUNCTION count_trial_change()");
            migrationBuilder.Sql("DROP TABLE trial_change_version");
        }
    }
}
