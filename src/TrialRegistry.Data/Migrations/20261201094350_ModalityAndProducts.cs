using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TrialRegistry.Data.Migrations
{
    /// <inheritdoc />
    public partial class ModalityAndProducts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "modality",
                table: "trials",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "product_type",
                table: "trials",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<List<string>>(
                name: "products",
                table: "trials",
                type: "text[]",
                nullable: false);

            migrationBuilder.CreateIndex(
                name: "ix_trials_modality",
                table: "trials",
                column: "modality");

            migrationBuilder.CreateIndex(
                name: "ix_trials_product_type",
                table: "trials",
                column: "product_type");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_trials_modality",
                table: "trials");

            migrationBuilder.DropIndex(
                name: "ix_trials_product_type",
                table: "trials");

            migrationBuilder.DropColumn(
                name: "modality",
                table: "trials");

            migrationBuilder.DropColumn(
                name: "product_type",
                table: "trials");

            migrationBuilder.DropColumn(
                name: "products",
                table: "trials");
        }
    }
}
