using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Broadcast.Functions.OpenApi;

/// <summary>The body of <c>POST /api/uploads</c>, which its handler streams itself (so nothing describes it on its
/// own): a multipart form whose <c>file</c> is the CSV, hint fields before it; or the CSV as the whole body.</summary>
internal static class UploadForm
{
    public static Task Describe(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var text = new OpenApiSchema { Type = JsonSchemaType.String };
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = "The CSV of recipients (at most Uploads__MaxBytes). Hints may also come as query parameters; a form field overrides the query.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["multipart/form-data"] = new()
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Required = new HashSet<string> { "file" },
                        Properties = new Dictionary<string, IOpenApiSchema>
                        {
                            ["separator"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [",", ";"], Description = "Detected when left out." },
                            ["provider"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. Core.Messaging.Providers.Names.Select(n => (System.Text.Json.Nodes.JsonNode)n)] },
                            ["template"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The template's variables count, or the names of its named variables (comma-separated)." },
                            ["file"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", Description = "The CSV: UTF-8 (or UTF-16 with a BOM); send it after the hint fields." },
                        },
                    },
                    Encoding = new Dictionary<string, OpenApiEncoding> { ["file"] = new() { ContentType = "text/csv" } },
                },
                ["text/csv"] = new() { Schema = text },
            },
        };
        return Task.CompletedTask;
    }
}
