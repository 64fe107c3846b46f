using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TrialRegistry.Data.Migrations
{
    /// <summary>
    /// A place typed as a postal code is found by index: the code without spaces or dashes, upper case (as
    /// PlaceFinder compares it), and the part before a dash, for ZIP+4 codes ("02115-1234" is found by "02115").
    /// </summary>
    public partial class PostalCodeKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("CREATE INDEX ix_locations_postal_key ON locations (upper(regexp_replace(postal_code, '[^[:alnum:]]', '', 'g'))) WHERE postal_code IS NOT NULL;");
            migrationBuilder.Sql("CREATE INDEX ix_locations_postal_prefix ON locations (upper(split_part(postal_code, '-', 1))) WHERE postal_code LIKE '%-%';");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_locations_postal_key;");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_locations_postal_prefix;");
        }
    }
}
