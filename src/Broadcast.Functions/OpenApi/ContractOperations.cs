using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using Broadcast.Functions.Apis;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Broadcast.Functions.OpenApi;

/// <summary>Each operation's id is its handler's name (<c>CreateBroadcast</c>, <c>GetBroadcast</c>, ...) unless the
/// endpoint is named: stable, unique, and what a generated client calls its methods. Its query parameters and headers
/// are those of its <see cref="QueryParameter"/> and <see cref="HeaderParameter"/> metadata, typed as the handler
/// parses them (a handler takes each as text, so the framework alone would call every one a string).</summary>
internal sealed class ContractOperations : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        operation.OperationId ??= metadata.OfType<IEndpointNameMetadata>().FirstOrDefault()?.EndpointName
                                  ?? metadata.OfType<MethodInfo>().FirstOrDefault()?.Name;
        foreach (var query in metadata.OfType<QueryParameter>())
            Replace(operation, new OpenApiParameter
            {
                Name = query.Name, In = ParameterLocation.Query, Description = query.Description, Schema = SchemaOf(query, context.Document),
            });
        foreach (var header in metadata.OfType<HeaderParameter>())
            Replace(operation, new OpenApiParameter
            {
                Name = header.Name, In = ParameterLocation.Header, Description = header.Description,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = header.MaxLength },
            });
        return Task.CompletedTask;
    }

    private static void Replace(OpenApiOperation operation, OpenApiParameter parameter)
    {
        operation.Parameters ??= [];
        var bound = operation.Parameters.FirstOrDefault(p => p.In == parameter.In && string.Equals(p.Name, parameter.Name, StringComparison.OrdinalIgnoreCase));
        if (bound is not null) operation.Parameters.Remove(bound);
        operation.Parameters.Add(parameter);
    }

    private static IOpenApiSchema SchemaOf(QueryParameter query, OpenApiDocument? document)
    {
        if (query.OneOf is { } type) return new OpenApiSchemaReference(type.Name, document);
        if (query.WholeNumber is var (minimum, maximum))
            return new OpenApiSchema
            {
                Type = JsonSchemaType.Integer, Format = "int32",
                Minimum = minimum.ToString(CultureInfo.InvariantCulture), Maximum = maximum.ToString(CultureInfo.InvariantCulture),
            };
        return new OpenApiSchema { Type = JsonSchemaType.String, Enum = query.Values?.Select(v => (JsonNode)JsonValue.Create(v)).ToList() };
    }
}
