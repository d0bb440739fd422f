using Scalar.AspNetCore;

namespace Broadcast.Functions.OpenApi;

/// <summary>The API's contract: the OpenAPI document a client generator reads, and Scalar's interactive reference
/// over it. Both are public (no API key): they describe the API and hold no data; every call they describe still
/// needs its key.</summary>
public static class ApiContract
{
    public const string DocumentName = "v1";
    public const string DocumentPattern = "/api/openapi/{documentName}.json";
    public const string DocumentPath = "/api/openapi/v1.json";
    public const string ReferencePath = "/api/docs";

    /// <summary>The document's server: where the run command serves the API (its default port).</summary>
    public const string RunCommandServer = "http://localhost:7071";

    public static IServiceCollection AddApiContract(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, o =>
        {
            o.AddSchemaTransformer<ContractSchemas>();
            o.AddOperationTransformer<ContractOperations>();
            o.AddDocumentTransformer<ContractDocument>();
        });

    public static void MapApiContract(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi(DocumentPattern);
        // Scalar's page and its script come from the package itself (no CDN), so the reference works offline.
        app.MapScalarApiReference(ReferencePath, o => o
            .WithTitle("Broadcast Functions API")
            .WithOpenApiRoutePattern(DocumentPattern)
            .AddDocument(DocumentName)
            // Its "try it" calls go to the origin the page came from, not to the document's server.
            .AddServer("/", "This app")
            .WithDynamicBaseServerUrl(true)
            .AddApiKeyAuthentication(ContractDocument.HeaderKeyScheme, key => key.Name = "x-functions-key"));
    }

    public static bool IsPublic(PathString path) => path.StartsWithSegments(ReferencePath) || path.StartsWithSegments("/api/openapi");
}
