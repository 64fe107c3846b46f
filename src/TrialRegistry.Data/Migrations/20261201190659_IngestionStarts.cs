using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TrialRegistry.Data.Migrations
{
    /// <summary>
    /// Each time a worker starts on a queued document, a row committed before the work: a document whose storing
    /// kills the worker (the job's own transaction never commits) is seen to have been started, and after
    /// IngestionQueue.MaxStarts starts it is marked failed instead of being retried for ever.
    /// </summary>
    public partial class IngestionStarts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE ingestion_starts (
                    job_id bigint NOT NULL REFERENCES ingestion_jobs (id) ON DELETE CASCADE,
                    started_at timestamp with time zone NOT NULL DEFAULT now());
                CREATE INDEX ix_ingestion_starts_job_id ON ingestion_starts (job_id);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TABLE IF EXISTS ingestion_starts;");
        }
    }
}
