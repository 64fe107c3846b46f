using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TrialRegistry.Data.Migrations
{
    /// <inheritdoc />
    public partial class Completeness : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "completeness",
                table: "trials",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "FULL");

            migrationBuilder.AddColumn<List<string>>(
                name: "not_stated",
                table: "trials",
                type: "text[]",
                nullable: false,
                defaultValueSql: "'{}'::text[]");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "completeness",
                table: "trials");

            migrationBuilder.DropColumn(
                name: "not_stated",
                table: "trials");
        }
    }
}
