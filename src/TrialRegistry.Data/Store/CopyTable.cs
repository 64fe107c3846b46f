using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;

namespace TrialRegistry.Data.Store;

/// <summary>
/// Writes entities of one type with PostgreSQL's binary COPY, taking table, columns, types and value conversions
/// from the EF Core model, so the bulk path cannot drift from the schema the migrations create. Computed columns
/// are left to the server, and so is the key when <c>withKey</c> is false (identity columns fill it).
/// </summary>
internal sealed class CopyTable<T>
    where T : class
{
    private readonly (string Type, Func<object, object?> Get)[] _columns;

    public CopyTable(IModel model, bool withKey)
    {
        var entity = model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var key = entity.FindPrimaryKey()!.Properties;
        var properties = entity.GetProperties()
            .Where(p => p.GetComputedColumnSql() is null && p.PropertyInfo is not null)
            .Where(p => withKey || !(key.Contains(p) && p.ValueGenerated != ValueGenerated.Never))
            .ToList();
        _columns = [.. properties.Select(p => (DataTypeName(p.GetColumnType()), Getter(p)))];
        Command = $"COPY {entity.GetTableName()} ({string.Join(", ", properties.Select(p => p.GetColumnName(table)))}) FROM STDIN (FORMAT BINARY)";
    }

    public string Command { get; }

    public async Task<int> WriteAsync(NpgsqlConnection connection, IEnumerable<T> rows, CancellationToken cancellationToken)
    {
        var count = 0;
        await using var importer = await connection.BeginBinaryImportAsync(Command, cancellationToken);
        foreach (var row in rows)
        {
            importer.StartRow();
            foreach (var (type, get) in _columns)
            {
                if (get(row) is { } value)
                {
                    importer.Write(value, type);
                }
                else
                {
                    importer.WriteNull();
                }
            }

            count++;
        }

        await importer.CompleteAsync(cancellationToken);
        return count;
    }

    /// <summary>"character varying(64)" as Npgsql names the type: without its length.</summary>
    private static string DataTypeName(string columnType)
    {
        var paren = columnType.IndexOf('(', StringComparison.Ordinal);
        return paren < 0 ? columnType : columnType[..paren] + columnType[(columnType.IndexOf(')', StringComparison.Ordinal) + 1)..];
    }

    private static Func<object, object?> Getter(IProperty property)
    {
        var entity = Expression.Parameter(typeof(object));
        var read = Expression.Lambda<Func<object, object?>>(
            Expression.Convert(Expression.Property(Expression.Convert(entity, typeof(T)), property.PropertyInfo!), typeof(object)), entity).Compile();
        var converter = property.GetTypeMapping().Converter ?? property.GetValueConverter();
        if (converter is null)
        {
            return read;
        }

        var toProvider = converter.ConvertToProvider;
        return row => read(row) is { } value ? toProvider(value) : null;
    }
}
