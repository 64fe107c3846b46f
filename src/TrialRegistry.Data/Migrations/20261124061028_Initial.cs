using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;
using NpgsqlTypes;

#nullable disable

namespace TrialRegistry.Data.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:pg_trgm", ",,");

            migrationBuilder.CreateTable(
                name: "source_documents",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    file_name = table.Column<string>(type: "text", nullable: true),
                    format = table.Column<string>(type: "text", nullable: false),
                    encoding = table.Column<string>(type: "text", nullable: false),
                    raw_text = table.Column<string>(type: "text", nullable: false),
                    error = table.Column<string>(type: "text", nullable: true),
                    record_count = table.Column<int>(type: "integer", nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_source_documents", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "target_antigens",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    symbol = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    synonyms = table.Column<List<string>>(type: "text[]", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_target_antigens", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "trials",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    registry_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    secondary_ids = table.Column<List<string>>(type: "text[]", nullable: false),
                    title = table.Column<string>(type: "text", nullable: true),
                    official_title = table.Column<string>(type: "text", nullable: true),
                    brief_summary = table.Column<string>(type: "text", nullable: true),
                    detailed_description = table.Column<string>(type: "text", nullable: true),
                    status = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    phases = table.Column<List<string>>(type: "text[]", nullable: false),
                    study_type = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    enrollment_count = table.Column<int>(type: "integer", nullable: true),
                    enrollment_type = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    start_date = table.Column<string>(type: "text", nullable: true),
                    completion_date = table.Column<string>(type: "text", nullable: true),
                    last_updated = table.Column<string>(type: "text", nullable: true),
                    routes = table.Column<List<string>>(type: "text[]", nullable: false),
                    lymphodepletion = table.Column<List<string>>(type: "text[]", nullable: false),
                    inferred = table.Column<List<string>>(type: "text[]", nullable: false),
                    warnings = table.Column<List<string>>(type: "text[]", nullable: false),
                    field_sources = table.Column<string>(type: "jsonb", nullable: false),
                    search_text = table.Column<string>(type: "text", nullable: false),
                    search_vector = table.Column<NpgsqlTsVector>(type: "tsvector", nullable: false, computedColumnSql: "setweight(to_tsvector('english', coalesce(title, '')), 'A') || setweight(to_tsvector('english', coalesce(search_text, '')), 'B')", stored: true),
                    version = table.Column<int>(type: "integer", nullable: false),
                    content_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    withdrawn = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_trials", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "arms",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    trial_id = table.Column<long>(type: "bigint", nullable: false),
                    ordinal = table.Column<int>(type: "integer", nullable: false),
                    label = table.Column<string>(type: "text", nullable: false),
                    type = table.Column<string>(type: "text", nullable: true),
                    description = table.Column<string>(type: "text", nullable: true),
                    routes = table.Column<List<string>>(type: "text[]", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_arms", x => x.id);
                    table.ForeignKey(
                        name: "fk_arms_trials_trial_id",
                        column: x => x.trial_id,
                        principalTable: "trials",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "conditions",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    trial_id = table.Column<long>(type: "bigint", nullable: false),
                    ordinal = table.Column<int>(type: "integer", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_conditions", x => x.id);
                    table.ForeignKey(
                        name: "fk_conditions_trials_trial_id",
                        column: x => x.trial_id,
                        principalTable: "trials",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "contacts",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    trial_id = table.Column<long>(type: "bigint", nullable: false),
                    ordinal = table.Column<int>(type: "integer", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    role = table.Column<string>(type: "text", nullable: true),
                    phone = table.Column<string>(type: "text", nullable: true),
                    email = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_contacts", x => x.id);
                    table.ForeignKey(
                        name: "fk_contacts_trials_trial_id",
                        column: x => x.trial_id,
                        principalTable: "trials",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "eligibilities",
                columns: table => new
                {
                    trial_id = table.Column<long>(type: "bigint", nullable: false),
                    min_age_years = table.Column<int>(type: "integer", nullable: true),
                    max_age_years = table.Column<int>(type: "integer", nullable: true),
                    sex = table.Column<string>(type: "text", nullable: true),
                    healthy_volunteers = table.Column<bool>(type: "boolean", nullable: true),
                    criteria_text = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_eligibilities", x => x.trial_id);
                    table.ForeignKey(
                        name: "fk_eligibilities_trials_trial_id",
                        column: x => x.trial_id,
                        principalTable: "trials",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "eligibility_criteria",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    trial_id = table.Column<long>(type: "bigint", nullable: false),
                    kind = table.Column<string>(type: "text", nullable: false),
                    ordinal = table.Column<int>(type: "integer", nullable: false),
                    text = table.Column<string>(type: "text", nullable: false),
                    sub_items = table.Column<List<string>>(type: "text[]", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_eligibility_criteria", x => x.id);
                    table.ForeignKey(
                        name: "fk_eligibility_criteria_trials_trial_id",
                        column: x => x.trial_id,
                        principalTable: "trials",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "interventions",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    trial_id = table.Column<long>(type: "bigint", nullable: false),
                    ordinal = table.Column<int>(type: "integer", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    type = table.Column<string>(type: "text", nullable: true),
                    description = table.Column<string>(type: "text", nullable: true),
                    other_names = table.Column<List<string>>(type: "text[]", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_interventions", x => x.id);
                    table.ForeignKey(
                        name: "fk_interventions_trials_trial_id",
                        column: x => x.trial_id,
                        principalTable: "trials",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "locations",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    trial_id = table.Column<long>(type: "bigint", nullable: false),
                    ordinal = table.Column<int>(type: "integer", nullable: false),
                    facility = table.Column<string>(type: "text", nullable: true),
                    city = table.Column<string>(type: "text", nullable: true),
                    state = table.Column<string>(type: "text", nullable: true),
                    country = table.Column<string>(type: "text", nullable: true),
                    status = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_locations", x => x.id);
                    table.ForeignKey(
                        name: "fk_locations_trials_trial_id",
                        column: x => x.trial_id,
                        principalTable: "trials",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "outcomes",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    trial_id = table.Column<long>(type: "bigint", nullable: false),
                    ordinal = table.Column<int>(type: "integer", nullable: false),
                    kind = table.Column<string>(type: "text", nullable: false),
                    measure = table.Column<string>(type: "text", nullable: false),
                    description = table.Column<string>(type: "text", nullable: true),
                    time_frame = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outcomes", x => x.id);
                    table.ForeignKey(
                        name: "fk_outcomes_trials_trial_id",
                        column: x => x.trial_id,
                        principalTable: "trials",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "sponsors",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    trial_id = table.Column<long>(type: "bigint", nullable: false),
                    ordinal = table.Column<int>(type: "integer", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    role = table.Column<string>(type: "text", nullable: false),
                    @class = table.Column<string>(name: "class", type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sponsors", x => x.id);
                    table.ForeignKey(
                        name: "fk_sponsors_trials_trial_id",
                        column: x => x.trial_id,
                        principalTable: "trials",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "trial_documents",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    trial_id = table.Column<long>(type: "bigint", nullable: false),
                    source_document_id = table.Column<long>(type: "bigint", nullable: false),
                    record_key = table.Column<string>(type: "text", nullable: false),
                    format = table.Column<string>(type: "text", nullable: false),
                    record = table.Column<string>(type: "jsonb", nullable: false),
                    superseded = table.Column<bool>(type: "boolean", nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_trial_documents", x => x.id);
                    table.ForeignKey(
                        name: "fk_trial_documents_source_documents_source_document_id",
                        column: x => x.source_document_id,
                        principalTable: "source_documents",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_trial_documents_trials_trial_id",
                        column: x => x.trial_id,
                        principalTable: "trials",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "trial_target_antigens",
                columns: table => new
                {
                    trial_id = table.Column<long>(type: "bigint", nullable: false),
                    target_antigen_id = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_trial_target_antigens", x => new { x.trial_id, x.target_antigen_id });
                    table.ForeignKey(
                        name: "fk_trial_target_antigens_target_antigens_target_antigen_id",
                        column: x => x.target_antigen_id,
                        principalTable: "target_antigens",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_trial_target_antigens_trials_trial_id",
                        column: x => x.trial_id,
                        principalTable: "trials",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "trial_versions",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    trial_id = table.Column<long>(type: "bigint", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    source_document_id = table.Column<long>(type: "bigint", nullable: true),
                    snapshot = table.Column<string>(type: "jsonb", nullable: false),
                    changed_fields = table.Column<List<string>>(type: "text[]", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_trial_versions", x => x.id);
                    table.ForeignKey(
                        name: "fk_trial_versions_trials_trial_id",
                        column: x => x.trial_id,
                        principalTable: "trials",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "dose_levels",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    trial_id = table.Column<long>(type: "bigint", nullable: false),
                    arm_id = table.Column<long>(type: "bigint", nullable: true),
                    ordinal = table.Column<int>(type: "integer", nullable: false),
                    text = table.Column<string>(type: "text", nullable: false),
                    value = table.Column<double>(type: "double precision", nullable: false),
                    unit = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_dose_levels", x => x.id);
                    table.ForeignKey(
                        name: "fk_dose_levels_arms_arm_id",
                        column: x => x.arm_id,
                        principalTable: "arms",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_dose_levels_trials_trial_id",
                        column: x => x.trial_id,
                        principalTable: "trials",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "arm_interventions",
                columns: table => new
                {
                    arm_id = table.Column<long>(type: "bigint", nullable: false),
                    intervention_id = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_arm_interventions", x => new { x.arm_id, x.intervention_id });
                    table.ForeignKey(
                        name: "fk_arm_interventions_arms_arm_id",
                        column: x => x.arm_id,
                        principalTable: "arms",
                        principalColumn: "id");
                    table.ForeignKey(
                        name: "fk_arm_interventions_interventions_intervention_id",
                        column: x => x.intervention_id,
                        principalTable: "interventions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_arm_interventions_intervention_id",
                table: "arm_interventions",
                column: "intervention_id");

            migrationBuilder.CreateIndex(
                name: "ix_arms_trial_id_ordinal",
                table: "arms",
                columns: new[] { "trial_id", "ordinal" });

            migrationBuilder.CreateIndex(
                name: "ix_conditions_name",
                table: "conditions",
                column: "name")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "ix_conditions_trial_id",
                table: "conditions",
                column: "trial_id");

            migrationBuilder.CreateIndex(
                name: "ix_contacts_trial_id",
                table: "contacts",
                column: "trial_id");

            migrationBuilder.CreateIndex(
                name: "ix_dose_levels_arm_id",
                table: "dose_levels",
                column: "arm_id");

            migrationBuilder.CreateIndex(
                name: "ix_dose_levels_trial_id",
                table: "dose_levels",
                column: "trial_id");

            migrationBuilder.CreateIndex(
                name: "ix_dose_levels_unit_value_trial_id",
                table: "dose_levels",
                columns: new[] { "unit", "value", "trial_id" });

            migrationBuilder.CreateIndex(
                name: "ix_eligibilities_min_age_years_max_age_years",
                table: "eligibilities",
                columns: new[] { "min_age_years", "max_age_years" });

            migrationBuilder.CreateIndex(
                name: "ix_eligibility_criteria_trial_id_kind_ordinal",
                table: "eligibility_criteria",
                columns: new[] { "trial_id", "kind", "ordinal" });

            migrationBuilder.CreateIndex(
                name: "ix_interventions_trial_id_ordinal",
                table: "interventions",
                columns: new[] { "trial_id", "ordinal" });

            migrationBuilder.CreateIndex(
                name: "ix_locations_country_trial_id",
                table: "locations",
                columns: new[] { "country", "trial_id" });

            migrationBuilder.CreateIndex(
                name: "ix_locations_trial_id",
                table: "locations",
                column: "trial_id");

            migrationBuilder.CreateIndex(
                name: "ix_outcomes_trial_id",
                table: "outcomes",
                column: "trial_id");

            migrationBuilder.CreateIndex(
                name: "ix_source_documents_sha256",
                table: "source_documents",
                column: "sha256",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_sponsors_trial_id",
                table: "sponsors",
                column: "trial_id");

            migrationBuilder.CreateIndex(
                name: "ix_target_antigens_symbol",
                table: "target_antigens",
                column: "symbol",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_trial_documents_source_document_id",
                table: "trial_documents",
                column: "source_document_id");

            migrationBuilder.CreateIndex(
                name: "ix_trial_documents_trial_id_source_document_id_record_key",
                table: "trial_documents",
                columns: new[] { "trial_id", "source_document_id", "record_key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_trial_target_antigens_target_antigen_id_trial_id",
                table: "trial_target_antigens",
                columns: new[] { "target_antigen_id", "trial_id" });

            migrationBuilder.CreateIndex(
                name: "ix_trial_versions_trial_id_version",
                table: "trial_versions",
                columns: new[] { "trial_id", "version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_trials_last_updated",
                table: "trials",
                column: "last_updated");

            migrationBuilder.CreateIndex(
                name: "ix_trials_phases",
                table: "trials",
                column: "phases")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_trials_registry_id",
                table: "trials",
                column: "registry_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_trials_routes",
                table: "trials",
                column: "routes")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_trials_search_vector",
                table: "trials",
                column: "search_vector")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_trials_start_date",
                table: "trials",
                column: "start_date");

            migrationBuilder.CreateIndex(
                name: "ix_trials_status",
                table: "trials",
                column: "status");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "arm_interventions");

            migrationBuilder.DropTable(
                name: "conditions");

            migrationBuilder.DropTable(
                name: "contacts");

            migrationBuilder.DropTable(
                name: "dose_levels");

            migrationBuilder.DropTable(
                name: "eligibilities");

            migrationBuilder.DropTable(
                name: "eligibility_criteria");

            migrationBuilder.DropTable(
                name: "locations");

            migrationBuilder.DropTable(
                name: "outcomes");

            migrationBuilder.DropTable(
                name: "sponsors");

            migrationBuilder.DropTable(
                name: "trial_documents");

            migrationBuilder.DropTable(
                name: "trial_target_antigens");

            migrationBuilder.DropTable(
                name: "trial_versions");

            migrationBuilder.DropTable(
                name: "interventions");

            migrationBuilder.DropTable(
                name: "arms");

            migrationBuilder.DropTable(
                name: "source_documents");

            migrationBuilder.DropTable(
                name: "target_antigens");

            migrationBuilder.DropTable(
                name: "trials");
        }
    }
}
