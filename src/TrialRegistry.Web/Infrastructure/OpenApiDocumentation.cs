using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;
using TrialRegistry.Ingestion.Model;
using TrialRegistry.Web.Api;

namespace TrialRegistry.Web.Infrastructure;

/// <summary>
/// What the OpenAPI document says beyond what Swashbuckle infers, so that a client generated from it is typed and
/// complete: the search parameters' types, ranges and vocabularies (the request reads them as text, to name a bad
/// value in its error), the responses' other media types, headers and status codes, and the admin API's key.
/// </summary>
public static class OpenApiDocumentation
{
    public const string ApiKeyScheme = "ApiKey";

    public static void Configure(SwaggerGenOptions options)
    {
        options.AddSecurityDefinition(ApiKeyScheme, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = "X-Api-Key",
            Description = "An admin API key (trialregistry admin apikey --user NAME); also accepted as Authorization: Bearer KEY.",
        });
        // A property C# says is never null is required and not nullable in the schema (registryId, phases); one
        // declared nullable is optional and nullable: a generated client gets the same promises the code makes.
        options.SupportNonNullableReferenceTypes();
        options.NonNullableReferenceTypesAsRequired();
        options.ParameterFilter<SearchParameterTypes>();
        options.OperationFilter<ResponseDetails>();
    }

    private static OpenApiSchema Text(string? description = null) => new() { Type = JsonSchemaType.String, Description = description };

    private static OpenApiSchema OneOf(IEnumerable<string> values, string? @default = null) => new()
    {
        Type = JsonSchemaType.String,
        Enum = values.Select(v => (JsonNode)JsonValue.Create(v)!).ToList(),
        Default = @default is null ? null : JsonValue.Create(@default),
    };

    private static OpenApiSchema ListOf(OpenApiSchema item) => new() { Type = JsonSchemaType.Array, Items = item };

    private static OpenApiSchema Number(JsonSchemaType type, string minimum, string maximum, string? @default = null) => new()
    {
        Type = type,
        Minimum = minimum,
        Maximum = maximum,
        Default = @default is null ? null : JsonNode.Parse(@default),
    };

    /// <summary>The schema of each search parameter, by its name in the query string (the vocabulary filters' from their definitions).</summary>
    private static readonly Dictionary<string, Func<OpenApiSchema>> SearchParameters = new Dictionary<string, Func<OpenApiSchema>>(StringComparer.Ordinal)
    {
        ["antigen"] = () => ListOf(Text()),
        ["condition"] = () => ListOf(Text()),
        ["doseMin"] = () => Text("a number of cells: 3e6, 3x10^6, 3×10^6 or 3000000"),
        ["doseMax"] = () => Text("a number of cells: 1e7, 1x10^7, 1×10^7 or 10000000"),
        ["doseUnit"] = () => OneOf(VocabularyNames.AllNames<DoseUnit>()),
        ["country"] = () => ListOf(Text()),
        ["city"] = () => ListOf(Text()),
        ["region"] = () => ListOf(Text()),
        ["near"] = () => Text(),
        ["distanceKm"] = () => Number(JsonSchemaType.Number, "1", "20000", "100"),
        ["sex"] = () => OneOf(VocabularyNames.AllNames<Sex>()),
        ["age"] = () => Number(JsonSchemaType.Integer, "0", "130"),
        ["q"] = () => new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 500 },
        ["sort"] = () => OneOf(TrialSearchRequest.SortValues),
        ["pageSize"] = () => Number(JsonSchemaType.Integer, "1", TrialRegistry.Data.Search.TrialQuery.MaxPageSize.ToString(System.Globalization.CultureInfo.InvariantCulture), "50"),
        ["pageToken"] = () => Text(),
        ["countTotal"] = () => new OpenApiSchema { Type = JsonSchemaType.Boolean, Default = JsonValue.Create(false) },
        ["facets"] = () => new OpenApiSchema { Type = JsonSchemaType.Boolean, Default = JsonValue.Create(false) },
        ["format"] = () => OneOf(["json", "csv", "atom"], "json"),
        ["fields"] = () => ListOf(OneOf(TrialSearchRequest.SummaryFields)),
    }
    .Concat(TrialRegistry.Data.Search.SearchFilters.Choices.Select(f => KeyValuePair.Create(f.Parameter, (Func<OpenApiSchema>)(() => ListOf(OneOf(f.Values))))))
    .ToDictionary(StringComparer.Ordinal);

    /// <summary>The search request's parameters with their real types (integers, booleans, vocabularies).</summary>
    private sealed class SearchParameterTypes : IParameterFilter
    {
        public void Apply(IOpenApiParameter parameter, ParameterFilterContext context)
        {
            if (context.PropertyInfo?.DeclaringType == typeof(TrialSearchRequest) && parameter is OpenApiParameter concrete
                && parameter.Name is { } name && SearchParameters.TryGetValue(name, out var schema))
            {
                concrete.Schema = schema();
                if (TrialRegistry.Data.Search.SearchFilters.Choice(name) is { } choice)
                {
                    concrete.Description = choice.Description;
                }

                if (concrete.Schema.Type == JsonSchemaType.Array)
                {
                    concrete.Style = ParameterStyle.Form;
                    concrete.Explode = true;
                }
            }
        }
    }

    /// <summary>Media types, headers and status codes the endpoints answer with that their metadata cannot say.</summary>
    private sealed class ResponseDetails : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            operation.Responses ??= [];
            switch (operation.OperationId)
            {
                case "StoreDocuments":
                    Multipart(operation, new OpenApiSchema { Type = JsonSchemaType.Array, Items = Binary(), Description = "one or more documents, or a zip of them" });
                    break;
                case "SearchTrials":
                    var ok = Response(operation, "200", "The page of trials (JSON), or the same fields as CSV with format=csv");
                    ok.Content ??= new Dictionary<string, IOpenApiMediaType>();
                    ok.Content["application/json"] = new OpenApiMediaType { Schema = context.SchemaGenerator.GenerateSchema(typeof(TrialSearchResponse), context.SchemaRepository) };
                    ok.Content["text/csv"] = new OpenApiMediaType { Schema = Text("one trial a row, the columns of the JSON summary") };
                    ok.Content[Api.AtomFeed.ContentType] = new OpenApiMediaType { Schema = Text("an Atom feed (RFC 4287) of the trials changed here last, with format=atom") };
                    Header(ok, "X-Next-Page-Token", "CSV only: the pageToken of the next page, absent on the last page");
                    Header(ok, "X-Total-Count", "CSV only, with countTotal=true: the number of trials the search finds");
                    break;
                case "GetTrial":
                    Header(Response(operation, "200", "The trial's record"), "ETag", "The record's version; send it back in If-None-Match");
                    Response(operation, "304", "Not modified: the record still has the ETag sent in If-None-Match");
                    Response(operation, "301", "The record was merged into its registered trial: the Location header names it");
                    Response(operation, "308", "The record was merged into its registered trial: the Location header names it");
                    Problem(operation, "404", "No trial has this registry id");
                    break;
                case "GetTrialVersions":
                case "GetTrialVersion":
                    Problem(operation, "404", "No such trial or version");
                    break;
                case "GetTrialFhir":
                case "ReadResearchStudy":
                    FhirResource(Response(operation, "200", "The trial as an HL7 FHIR R4 ResearchStudy resource"), "ResearchStudy", "https://hl7.org/fhir/R4/researchstudy.html");
                    Problem(operation, "404", "No trial has this registry id");
                    break;
                case "SearchResearchStudies":
                    // The trial search's parameters, less those a Bundle has no place for (SearchRequestFilter refuses them).
                    operation.Parameters = operation.Parameters?.Where(p => p.Name is not ("format" or "fields" or "facets")).ToList();
                    FhirResource(Response(operation, "200", "A searchset Bundle of ResearchStudy resources; its next link is the next page"), "Bundle", "https://hl7.org/fhir/R4/bundle.html");
                    break;
                case "StartFhirExport":
                    Header(Response(operation, "202", "Accepted: the Content-Location header is the export's status URL"), "Content-Location", "The status URL");
                    break;
                case "GetFhirExportFile":
                    var file = Response(operation, "200", "One ResearchStudy resource (FHIR JSON) a line");
                    file.Content ??= new Dictionary<string, IOpenApiMediaType>();
                    file.Content.Clear();
                    file.Content[Api.FhirApi.NdjsonContentType] = new OpenApiMediaType { Schema = Text("newline-delimited FHIR JSON") };
                    break;
                case "PreviewDocument":
                    Multipart(operation, Binary());
                    var preview = Response(operation, "200", "What was understood: the parse contract, one object for one record, an array for several");
                    var record = context.SchemaGenerator.GenerateSchema(typeof(ParseOutput), context.SchemaRepository);
                    preview.Content ??= new Dictionary<string, IOpenApiMediaType>();
                    preview.Content.Clear();
                    preview.Content["application/json"] = new OpenApiMediaType
                    {
                        Schema = new OpenApiSchema { OneOf = [record, new OpenApiSchema { Type = JsonSchemaType.Array, Items = record }] },
                    };
                    Problem(operation, "400", "No document, or a form that cannot be read");
                    break;
            }

            if (context.ApiDescription.HttpMethod == "GET" && operation.Responses.TryGetValue("200", out var found) && found is OpenApiResponse read)
            {
                // Api.ConditionalGet: every read answer is tagged and revalidates.
                if (read.Headers?.ContainsKey("ETag") != true)
                {
                    Header(read, "ETag", "A strong tag of this answer; send it back in If-None-Match (strong or weak) for a 304");
                }

                Header(read, "Cache-Control", "public, no-cache: a cache may keep the answer and asks whether it still holds");
                if (!operation.Responses.ContainsKey("304"))
                {
                    Response(operation, "304", "Not modified: the answer still has the ETag sent in If-None-Match");
                }
            }

            foreach (var (status, response) in operation.Responses)
            {
                if (status is "429" or "503" && response is OpenApiResponse limited)
                {
                    Header(limited, "Retry-After", "Seconds to wait before trying again");
                }
            }

            if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<Microsoft.AspNetCore.Authorization.IAuthorizeData>().Any())
            {
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, context.Document)] = [] }];
            }
        }

        /// <summary>A FHIR resource as the answer's only content: FHIR JSON, described by its resourceType.</summary>
        private static void FhirResource(OpenApiResponse response, string resourceType, string specification)
        {
            response.Content ??= new Dictionary<string, IOpenApiMediaType>();
            response.Content.Clear();
            response.Content[FhirExport.ContentType] = new OpenApiMediaType
            {
                Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = $"A FHIR R4 {resourceType} ({specification})",
                    Required = new HashSet<string> { "resourceType" },
                    Properties = new Dictionary<string, IOpenApiSchema> { ["resourceType"] = OneOf([resourceType]) },
                },
            };
        }

        private static OpenApiSchema Binary() => new() { Type = JsonSchemaType.String, Format = "binary" };

        /// <summary>A multipart form whose field 'file' holds the document(s): a form is an object of fields, not the file itself.</summary>
        private static void Multipart(OpenApiOperation operation, OpenApiSchema file)
        {
            if (operation.RequestBody is OpenApiRequestBody body && body.Content is { } content)
            {
                content["multipart/form-data"] = new OpenApiMediaType
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Required = new HashSet<string> { "file" },
                        Properties = new Dictionary<string, IOpenApiSchema> { ["file"] = file },
                    },
                };
            }
        }

        private static OpenApiResponse Response(OpenApiOperation operation, string status, string description)
        {
            if (operation.Responses!.TryGetValue(status, out var existing) && existing is OpenApiResponse concrete)
            {
                concrete.Description = description;
                return concrete;
            }

            var created = new OpenApiResponse { Description = description };
            operation.Responses[status] = created;
            return created;
        }

        private static void Problem(OpenApiOperation operation, string status, string description)
        {
            var response = Response(operation, status, description);
            response.Content ??= new Dictionary<string, IOpenApiMediaType>();
            response.Content["application/problem+json"] = new OpenApiMediaType { Schema = new OpenApiSchemaReference("ProblemDetails") };
        }

        private static void Header(OpenApiResponse response, string name, string description)
        {
            response.Headers ??= new Dictionary<string, IOpenApiHeader>();
            response.Headers[name] = new OpenApiHeader { Description = description, Schema = Text() };
        }
    }
}
