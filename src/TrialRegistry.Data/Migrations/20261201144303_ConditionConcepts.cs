using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TrialRegistry.Data.Migrations
{
    /// <inheritdoc />
    public partial class ConditionConcepts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<List<string>>(
                name: "condition_concepts",
                table: "trials",
                type: "text[]",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_trials_condition_concepts",
                table: "trials",
                column: "condition_concepts")
                .Annotation("Npgsql:IndexMethod", "gin");

            // Which version of a knowledge file the values derived from it were computed with (RegistryConnection).
            migrationBuilder.Sql("CREATE TABLE knowledge_fingerprints (name text PRIMARY KEY, fingerprint text NOT NULL)");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TABLE knowledge_fingerprints");

            migrationBuilder.DropIndex(
                name: "ix_trials_condition_concepts",
                table: "trials");

            migrationBuilder.DropColumn(
                name: "condition_concepts",
                table: "trials");
        }
    }
}
