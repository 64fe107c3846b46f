using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TrialRegistry.Data.Migrations
{
    /// <inheritdoc />
    public partial class SiteCoordinates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "latitude",
                table: "locations",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "longitude",
                table: "locations",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "postal_code",
                table: "locations",
                type: "text",
                nullable: true);

            // Distances on the earth's surface (contrib's cube and earthdistance, shipped with Debian's PostgreSQL), a
            // GiST index for "within N km", and the site's city and region by name.
            migrationBuilder.Sql("CREATE EXTENSION IF NOT EXISTS cube;");
            migrationBuilder.Sql("CREATE EXTENSION IF NOT EXISTS earthdistance;");
            migrationBuilder.Sql("CREATE INDEX ix_locations_earth ON locations USING gist (ll_to_earth(latitude, longitude)) WHERE latitude IS NOT NULL AND longitude IS NOT NULL;");
            migrationBuilder.Sql("CREATE INDEX ix_locations_city_key ON locations (lower(city), trial_id);");
            migrationBuilder.Sql("CREATE INDEX ix_locations_state_key ON locations (lower(state), trial_id);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_locations_earth;");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_locations_city_key;");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_locations_state_key;");

            migrationBuilder.DropColumn(
                name: "latitude",
                table: "locations");

            migrationBuilder.DropColumn(
                name: "longitude",
                table: "locations");

            migrationBuilder.DropColumn(
                name: "postal_code",
                table: "locations");
        }
    }
}
