using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TrialRegistry.Data.Migrations
{
    /// <inheritdoc />
    public partial class UploadPreviews : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "preview",
                table: "uploads",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "preview_version",
                table: "uploads",
                type: "bigint",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "preview",
                table: "uploads");

            migrationBuilder.DropColumn(
                name: "preview_version",
                table: "uploads");
        }
    }
}
