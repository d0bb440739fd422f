using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Broadcast.Functions.Hosting;

public static class HttpFunctionRoutes
{
    public const string Prefix = "api";

    public static IReadOnlyList<HttpFunctionRoute> From(EndpointDataSource endpoints)
    {
        var byRoute = new SortedDictionary<string, SortedSet<string>?>(StringComparer.Ordinal);
        foreach (var endpoint in endpoints.Endpoints.OfType<RouteEndpoint>())
        {
            var route = FunctionsRoute(endpoint.RoutePattern);
            if (route is null) continue;
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
            if (!byRoute.TryGetValue(route, out var known))
                byRoute[route] = methods is null ? null : new SortedSet<string>(methods.Select(m => m.ToLowerInvariant()), StringComparer.Ordinal);
            else if (known is not null && methods is not null)
                known.UnionWith(methods.Select(m => m.ToLowerInvariant()));
            else
                byRoute[route] = null; // some endpoint takes any method: so does the function
        }

        var functions = byRoute.Select(r => new HttpFunctionRoute(FunctionName(r.Key), r.Key, r.Value?.ToList())).ToList();
        var clash = functions.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
            throw new InvalidOperationException($"Routes {string.Join(" and ", clash.Select(f => f.Route))} would be one function '{clash.Key}'.");
        return functions;
    }

    /// <summary>"/api/broadcasts/{id}/" → "broadcasts/{id}"; null for routes outside /api.</summary>
    public static string? FunctionsRoute(RoutePattern pattern)
    {
        var raw = (pattern.RawText ?? "").Trim('/');
        if (raw.Equals(Prefix, StringComparison.OrdinalIgnoreCase)) return "";
        return raw.StartsWith(Prefix + "/", StringComparison.OrdinalIgnoreCase) ? raw[(Prefix.Length + 1)..].TrimEnd('/') : null;
    }

    /// <summary>A stable, valid function name from a route: "broadcasts/{id}/recipients.csv" → "Api_Broadcasts_Id_RecipientsCsv".</summary>
    public static string FunctionName(string route)
    {
        var parts = new List<string> { "Api" };
        foreach (var segment in route.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = new StringBuilder();
            foreach (var word in Regex.Split(segment, "[^A-Za-z0-9]+"))
                if (word.Length > 0) name.Append(char.ToUpperInvariant(word[0])).Append(word[1..]);
            if (name.Length > 0) parts.Add(name.ToString());
        }
        return string.Join('_', parts);
    }
}
