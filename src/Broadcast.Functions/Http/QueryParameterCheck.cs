using System.Reflection;
using System.Runtime.CompilerServices;
using Broadcast.Functions.Apis;
using Microsoft.AspNetCore.Http.Metadata;

namespace Broadcast.Functions.Http;

/// <summary>Refuses a query parameter the endpoint does not read (<c>?lmit=10</c>, <c>?start_at=</c>) with a 400
/// naming it, before the handler runs. An endpoint reads the parameters its <see cref="QueryParameter"/> metadata
/// lists and those its handler binds with <c>[FromQuery]</c>; every endpoint also takes the API key as <c>code</c>.
/// Only the calls the OpenAPI document describes are checked (not the dashboard's files or the local telemetry view),
/// and not vendor callbacks (<see cref="AnyQueryParameters"/>), whose URL the vendor may add to.</summary>
internal static class QueryParameterCheck
{
    private const string ApiKeyParameter = "code";

    private static readonly ConditionalWeakTable<Endpoint, IReadOnlyList<string>> Known = new();

    public static Task RefuseUnknown(HttpContext context, RequestDelegate next)
    {
        if (context.Request.QueryString.HasValue && context.GetEndpoint() is { } endpoint && IsChecked(endpoint, context.Request.Path))
        {
            var known = Known.GetValue(endpoint, KnownNames);
            foreach (var name in context.Request.Query.Keys)
                if (!name.Equals(ApiKeyParameter, StringComparison.OrdinalIgnoreCase) && !known.Contains(name, StringComparer.OrdinalIgnoreCase))
                    return Problems.Unknown(context, new UnknownFieldException("query parameter", null, name, known));
        }
        return next(context);
    }

    private static bool IsChecked(Endpoint endpoint, PathString path) =>
        path.StartsWithSegments("/api")
        && endpoint.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true }
        && endpoint.Metadata.GetMetadata<AnyQueryParameters>() is null;

    public static IReadOnlyList<string> KnownNames(Endpoint endpoint)
    {
        var declared = endpoint.Metadata.OfType<QueryParameter>().Select(p => p.Name);
        var bound = endpoint.Metadata.OfType<MethodInfo>().FirstOrDefault()?.GetParameters()
            .Select(p => (Parameter: p, Query: p.GetCustomAttributes().OfType<IFromQueryMetadata>().FirstOrDefault()))
            .Where(p => p.Query is not null)
            .Select(p => p.Query!.Name ?? p.Parameter.Name!) ?? [];
        return declared.Concat(bound).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }
}
