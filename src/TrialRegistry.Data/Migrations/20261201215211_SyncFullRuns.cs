using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TrialRegistry.Data.Migrations
{
    /// <inheritdoc />
    public partial class SyncFullRuns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "full",
                table: "sync_runs",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<List<string>>(
                name: "missing",
                table: "sync_runs",
                type: "text[]",
                nullable: false,
                defaultValueSql: "'{}'"); // runs before full runs were kept: none seen, none missing

            migrationBuilder.AddColumn<List<string>>(
                name: "seen",
                table: "sync_runs",
                type: "text[]",
                nullable: false,
                defaultValueSql: "'{}'"); // runs before full runs were kept: none seen, none missing
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "full",
                table: "sync_runs");

            migrationBuilder.DropColumn(
                name: "missing",
                table: "sync_runs");

            migrationBuilder.DropColumn(
                name: "seen",
                table: "sync_runs");
        }
    }
}
