using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace TrialRegistry.Data.Migrations
{
    /// <inheritdoc />
    public partial class AdminRolesAndKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "disabled_at",
                table: "admin_users",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "failed_sign_ins",
                table: "admin_users",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "locked_until",
                table: "admin_users",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "role",
                table: "admin_users",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "Curator"); // the admins there are had every right: they stay curators

            migrationBuilder.CreateTable(
                name: "api_keys",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    admin_user_id = table.Column<long>(type: "bigint", nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    key_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    prefix = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_used_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_api_keys", x => x.id);
                    table.ForeignKey(
                        name: "fk_api_keys_admin_users_admin_user_id",
                        column: x => x.admin_user_id,
                        principalTable: "admin_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_api_keys_admin_user_id",
                table: "api_keys",
                column: "admin_user_id");

            migrationBuilder.CreateIndex(
                name: "ix_api_keys_key_hash",
                table: "api_keys",
                column: "key_hash",
                unique: true);

            // Each admin's one key so far becomes a named key of theirs, so integrations keep working.
            migrationBuilder.Sql("""
                INSERT INTO api_keys (admin_user_id, name, key_hash, prefix, created_at)
                SELECT id, 'key (before named keys)', api_key_hash, 'trk_', now() FROM admin_users WHERE api_key_hash IS NOT NULL
                """);

            migrationBuilder.DropIndex(
                name: "ix_admin_users_api_key_hash",
                table: "admin_users");

            migrationBuilder.DropColumn(
                name: "api_key_hash",
                table: "admin_users");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "api_keys");

            migrationBuilder.DropColumn(
                name: "disabled_at",
                table: "admin_users");

            migrationBuilder.DropColumn(
                name: "failed_sign_ins",
                table: "admin_users");

            migrationBuilder.DropColumn(
                name: "locked_until",
                table: "admin_users");

            migrationBuilder.DropColumn(
                name: "role",
                table: "admin_users");

            migrationBuilder.AddColumn<string>(
                name: "api_key_hash",
                table: "admin_users",
                type: "text",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_admin_users_api_key_hash",
                table: "admin_users",
                column: "api_key_hash",
                unique: true);
        }
    }
}
