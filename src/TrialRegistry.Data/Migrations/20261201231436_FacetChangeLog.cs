using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TrialRegistry.Data.Migrations
{
    /// <summary>
    /// The log of changed trials the facet index updates itself from: statement-level triggers on <c>trials</c> write
    /// each inserted, updated or deleted trial's id with its transaction's id (xid8), so an index that read the registry
    /// in one database snapshot finds exactly the trials of the transactions that snapshot did not see. The facet index
    /// prunes rows older than a day; an index older than that reads the registry anew.
    /// </summary>
    public partial class FacetChangeLog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE trial_changes (
                    xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
                    trial_id bigint NOT NULL,
                    at timestamptz NOT NULL DEFAULT now());
                CREATE INDEX ix_trial_changes_xid ON trial_changes (xid);
                CREATE FUNCTION log_trial_changes() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO trial_changes (trial_id) SELECT id FROM changed_trials;
                    RETURN NULL;
                END
                $$;
                CREATE TRIGGER trials_logged_insert AFTER INSERT ON trials
                    REFERENCING NEW TABLE AS changed_trials FOR EACH STATEMENT EXECUTE FUNCTION log_trial_changes();
                CREATE TRIGGER trials_logged_update AFTER UPDATE ON trials
                    REFERENCING NEW TABLE AS changed_trials FOR EACH STATEMENT EXECUTE FUNCTION log_trial_changes();
                CREATE TRIGGER trials_logged_delete AFTER DELETE ON trials
                    REFERENCING OLD TABLE AS changed_trials FOR EACH STATEMENT EXECUTE FUNCTION log_trial_changes();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER trials_logged_insert ON trials;
                DROP TRIGGER trials_logged_update ON trials;
                DROP TRIGGER trials_logged_delete ON trials;
                DROP FUNCTION log_trial_changes();
                DROP TABLE trial_changes;
                """);
        }
    }
}
