using System.Text;
using Npgsql;
using NpgsqlTypes;
using TrialRegistry.Data.Search;
using TrialRegistry.Ingestion.Extraction;

namespace TrialRegistry.Benchmarks;

/// <summary>
/// The benchmark's baseline: the first page of a search, as hand-written SQL over plain Npgsql, with no EF Core,
/// no antigen synonym lookup (symbols are taken as given) and no facets. It returns what a search result row
/// shows, so the difference to <see cref="TrialSearch"/> is the cost of the registry's own layers.
/// </summary>
public sealed class RawSearch(NpgsqlDataSource dataSource, FacetIndex facetIndex)
{
    public async Task<IReadOnlyList<TrialSummary>> SearchAsync(TrialQuery query, CancellationToken cancellationToken = default)
    {
        var where = new StringBuilder("NOT t.withdrawn");
        await using var command = dataSource.CreateCommand();
        if (query.Antigens.Count > 0)
        {
            where.Append(" AND EXISTS (SELECT 1 FROM trial_target_antigens x JOIN target_antigens a ON a.id = x.target_antigen_id WHERE x.trial_id = t.id AND a.symbol = ANY(@antigens))");
            command.Parameters.Add(new NpgsqlParameter("antigens", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { Value = query.Antigens.ToArray() });
        }

        if (query.Phases.Count > 0)
        {
            where.Append(" AND t.phases && @phases");
            command.Parameters.Add(new NpgsqlParameter("phases", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = query.Phases.ToArray() });
        }

        if (query.Statuses.Count > 0)
        {
            where.Append(" AND t.status = ANY(@statuses)");
            command.Parameters.Add(new NpgsqlParameter("statuses", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { Value = query.Statuses.ToArray() });
        }

        if (ConditionFilter.Of(query.Conditions) is { } condition)
        {
            where.Append(" AND (t.condition_concepts && @concepts OR EXISTS (SELECT 1 FROM conditions c WHERE c.trial_id = t.id AND c.name ILIKE ANY (@conditions)))");
            command.Parameters.Add(new NpgsqlParameter("concepts", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = condition.Concepts.ToArray() });
            command.Parameters.Add(new NpgsqlParameter("conditions", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = condition.LikePatterns });
        }

        if (query.DoseMin is not null || query.DoseMax is not null)
        {
            where.Append(" AND EXISTS (SELECT 1 FROM dose_levels d WHERE d.trial_id = t.id AND d.value BETWEEN @min AND @max")
                .Append(query.DoseUnit is null ? ")" : " AND d.unit = @unit)");
            command.Parameters.AddWithValue("min", query.DoseMin ?? 0);
            command.Parameters.AddWithValue("max", query.DoseMax ?? double.MaxValue);
            if (query.DoseUnit is not null)
            {
                command.Parameters.AddWithValue("unit", query.DoseUnit);
            }
        }

        var order = "coalesce(t.last_updated, '') DESC, t.id";
        if (!string.IsNullOrWhiteSpace(query.Text))
        {
            where.Append(" AND t.search_vector @@ websearch_to_tsquery('english', @text)");
            command.Parameters.AddWithValue("text", query.Text);
            // As the search ranks: nearest by the RUM distance where the index is there, else by ts_rank; a partial record
            // at twice its distance (half its rank).
            order = await facetIndex.RankedTextAsync()
                ? "(t.search_vector <=> websearch_to_tsquery('english', @text))::float8 * CASE WHEN t.completeness = 'PARTIAL' THEN 2 ELSE 1 END, t.id"
                : "ts_rank(t.search_vector, websearch_to_tsquery('english', @text))::float8 * CASE WHEN t.completeness = 'PARTIAL' THEN 0.5::float8 ELSE 1.0::float8 END DESC, t.id";
        }

        command.Parameters.AddWithValue("limit", query.PageSize);
        command.CommandText = $"""
            SELECT t.registry_id, t.title, t.status, t.phases,
                   ARRAY(SELECT a.symbol FROM trial_target_antigens x JOIN target_antigens a ON a.id = x.target_antigen_id WHERE x.trial_id = t.id ORDER BY a.symbol),
                   ARRAY(SELECT c.name FROM conditions c WHERE c.trial_id = t.id ORDER BY c.ordinal),
                   t.routes,
                   ARRAY(SELECT d.text FROM dose_levels d WHERE d.trial_id = t.id ORDER BY d.ordinal),
                   ARRAY(SELECT d.value FROM dose_levels d WHERE d.trial_id = t.id ORDER BY d.ordinal),
                   ARRAY(SELECT d.unit::text FROM dose_levels d WHERE d.trial_id = t.id ORDER BY d.ordinal),
                   t.enrollment_count, t.start_date, t.last_updated, t.modality, t.product_type, t.completeness,
                   (SELECT e.min_age_years FROM eligibilities e WHERE e.trial_id = t.id),
                   (SELECT e.max_age_years FROM eligibilities e WHERE e.trial_id = t.id),
                   (SELECT e.sex FROM eligibilities e WHERE e.trial_id = t.id),
                   (SELECT s.name FROM sponsors s WHERE s.trial_id = t.id AND s.role = 'LEAD' ORDER BY s.ordinal LIMIT 1),
                   t.products,
                   ARRAY(SELECT DISTINCT l.country FROM locations l WHERE l.trial_id = t.id AND l.country IS NOT NULL ORDER BY 1),
                   (SELECT e.checks::text FROM eligibilities e WHERE e.trial_id = t.id)
            FROM trials t
            WHERE {where}
            ORDER BY {order}
            LIMIT @limit
            """;
        var results = new List<TrialSummary>(query.PageSize);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var texts = reader.GetFieldValue<string[]>(7);
            var values = reader.GetFieldValue<double[]>(8);
            var units = reader.GetFieldValue<string[]>(9);
            results.Add(new TrialSummary(
                reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetFieldValue<string[]>(3), reader.GetFieldValue<string[]>(4), reader.GetFieldValue<string[]>(5), reader.GetFieldValue<string[]>(6),
                [.. texts.Select((text, i) => new DoseSummary(text, values[i], units[i]))],
                reader.IsDBNull(10) ? null : reader.GetInt32(10), reader.IsDBNull(11) ? null : reader.GetString(11), reader.IsDBNull(12) ? null : reader.GetString(12),
                reader.IsDBNull(13) ? null : reader.GetString(13), reader.IsDBNull(14) ? null : reader.GetString(14), reader.GetString(15))
            {
                MinAgeYears = reader.IsDBNull(16) ? null : reader.GetInt32(16),
                MaxAgeYears = reader.IsDBNull(17) ? null : reader.GetInt32(17),
                Sex = reader.IsDBNull(18) ? null : reader.GetString(18),
                LeadSponsor = reader.IsDBNull(19) ? null : reader.GetString(19),
                Products = reader.GetFieldValue<string[]>(20),
                Countries = reader.GetFieldValue<string[]>(21),
                Screening = reader.IsDBNull(22) ? [] : ScreeningFacts.From(EligibilityChecks.FromJson(reader.GetString(22))),
            });
        }

        return results;
    }
}
