using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TrialRegistry.Data.Migrations
{
    /// <inheritdoc />
    /// <summary>
    /// Every statement that writes trials sends NOTIFY trials_changed, delivered when its transaction commits (and
    /// once per transaction however many statements sent it), so the facet index of each running registry knows
    /// its snapshot is stale. Any writer (the store, a bulk COPY, the CLI in another process) is covered.
    /// </summary>
    public partial class TrialChangeNotifications : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION notify_trials_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('trials_changed', '');
                    RETURN NULL;
                END
                $$
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER trials_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON trials
                FOR EACH STATEMENT EXECUTE FUNCTION notify_trials_changed()
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER trials_changed ON trials");
            migrationBuilder.Sql("DROP FUNCTION notify_trials_changed()");
        }
    }
}
