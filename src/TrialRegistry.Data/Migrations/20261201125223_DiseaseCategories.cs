using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TrialRegistry.Data.Migrations
{
    /// <inheritdoc />
    public partial class DiseaseCategories : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<List<string>>(
                name: "disease_categories",
                table: "trials",
                type: "text[]",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_trials_disease_categories",
                table: "trials",
                column: "disease_categories")
                .Annotation("Npgsql:IndexMethod", "gin");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_trials_disease_categories",
                table: "trials");

            migrationBuilder.DropColumn(
                name: "disease_categories",
                table: "trials");
        }
    }
}
