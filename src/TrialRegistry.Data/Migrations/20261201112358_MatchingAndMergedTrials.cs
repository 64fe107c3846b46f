using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TrialRegistry.Data.Migrations
{
    /// <inheritdoc />
    public partial class MatchingAndMergedTrials : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "match_decisions",
                table: "uploads",
                type: "jsonb",
                nullable: false,
                defaultValueSql: "'{}'::jsonb");

            migrationBuilder.AddColumn<string>(
                name: "merged_into",
                table: "trials",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            // Keys the matcher of records without a registry id looks up (TrialMatcher): the title and the summary with
            // case, punctuation and spaces folded away; the summary's as a hash, since summaries run long.
            migrationBuilder.Sql("CREATE INDEX ix_trials_title_key ON trials (lower(regexp_replace(coalesce(title, ''), '[^[:alnum:]]', '', 'g')))");
            migrationBuilder.Sql("CREATE INDEX ix_trials_summary_key ON trials (md5(lower(regexp_replace(coalesce(brief_summary, ''), '[^[:alnum:]]', '', 'g'))))");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_trials_title_key");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_trials_summary_key");

            migrationBuilder.DropColumn(
                name: "match_decisions",
                table: "uploads");

            migrationBuilder.DropColumn(
                name: "merged_into",
                table: "trials");
        }
    }
}
