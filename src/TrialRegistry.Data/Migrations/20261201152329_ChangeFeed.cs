using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TrialRegistry.Data.Migrations
{
    /// <inheritdoc />
    public partial class ChangeFeed : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The change feed (Search/ChangeFeed): each version row remembers the transaction that wrote it. Not in
            // the EF model, so that every writer (the store, the bulk load's COPY) gets it from the default.
            migrationBuilder.Sql("ALTER TABLE trial_versions ADD COLUMN change_xid xid8 NOT NULL DEFAULT pg_current_xact_id()");
            migrationBuilder.Sql("CREATE INDEX ix_trial_versions_change ON trial_versions (change_xid, id)");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX ix_trial_versions_change");
            migrationBuilder.Sql("ALTER TABLE trial_versions DROP COLUMN change_xid");
        }
    }
}
