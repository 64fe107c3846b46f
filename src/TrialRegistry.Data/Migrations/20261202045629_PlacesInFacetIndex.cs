using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TrialRegistry.Data.Migrations
{
    /// <summary>
    /// Searches by city, region, distance and postal code read the sites the facet index holds in memory
    /// (<c>SiteIndex</c>), so the site indexes those searches read in SQL go: the distance index, the covering city
    /// index, the region index and the two postal-code indexes. What a bulk load no longer builds. The country index
    /// stays (the SQL country filter), as does the trial id index (a page's nearest sites).
    /// </summary>
    public partial class PlacesInFacetIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_locations_earth;");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_locations_city_key;");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_locations_state_key;");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_locations_postal_key;");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_locations_postal_prefix;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("CREATE INDEX ix_locations_earth ON locations USING gist (ll_to_earth(latitude, longitude)) INCLUDE (trial_id, latitude, longitude) WHERE latitude IS NOT NULL AND longitude IS NOT NULL;");
            migrationBuilder.Sql("CREATE INDEX ix_locations_city_key ON locations (lower(city)) INCLUDE (trial_id, city, state, country, latitude, longitude);");
            migrationBuilder.Sql("CREATE INDEX ix_locations_state_key ON locations (lower(state), trial_id);");
            migrationBuilder.Sql("CREATE INDEX ix_locations_postal_key ON locations (upper(regexp_replace(postal_code, '[^[:alnum:]]', '', 'g'))) WHERE postal_code IS NOT NULL;");
            migrationBuilder.Sql("CREATE INDEX ix_locations_postal_prefix ON locations (upper(split_part(postal_code, '-', 1))) WHERE postal_code LIKE '%-%';");
        }
    }
}
