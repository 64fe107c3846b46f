using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TrialRegistry.Data.Migrations
{
    /// <inheritdoc />
    /// <summary>
    /// Indexes in the search's own sort order (missing dates sort as empty text, ties by id), so a first page
    /// of a common filter reads the newest trials in order and stops after a page instead of sorting every match.
    /// </summary>
    public partial class SearchSortIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("CREATE INDEX ix_trials_last_updated_sort ON trials ((coalesce(last_updated, '')) DESC, id)");
            migrationBuilder.Sql("CREATE INDEX ix_trials_start_date_sort ON trials ((coalesce(start_date, '')) DESC, id)");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX ix_trials_start_date_sort");
            migrationBuilder.Sql("DROP INDEX ix_trials_last_updated_sort");
        }
    }
}
