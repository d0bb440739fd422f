using System.Collections.Frozen;
using Microsoft.AspNetCore.Builder;

namespace Broadcast.Functions.Hosting;

/// <summary>Under the Functions host: the app's own endpoints (mapped by <see cref="BroadcastApp.MapBroadcastApi"/>,
/// exactly as the standalone form maps them) and its HTTP middleware (<see cref="HttpPipeline.UseBroadcastHttp"/>),
/// run inside the HTTP function of their route. The worker's routing has already matched the function's route, so its
/// route values are the endpoint's; this picks the endpoint for the request's method and runs the pipeline on it.</summary>
public sealed class HostedApi
{
    private readonly FrozenDictionary<string, RouteEndpoint[]> _byFunction;
    private readonly RequestDelegate _pipeline;

    public HostedApi(IServiceProvider services, IConfiguration config)
    {
        var routes = new EndpointTable(services);
        routes.MapBroadcastApi(services);
        Endpoints = new CompositeEndpointDataSource(routes.DataSources);
        _byFunction = Endpoints.Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Endpoint: e, Route: HttpFunctionRoutes.FunctionsRoute(e.RoutePattern)))
            .Where(e => e.Route is not null)
            .GroupBy(e => HttpFunctionRoutes.FunctionName(e.Route!), StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.Select(e => e.Endpoint).ToArray(), StringComparer.Ordinal);

        var pipeline = new ApplicationBuilder(services);
        pipeline.UseBroadcastHttp(config);
        pipeline.Run(context => context.GetEndpoint()?.RequestDelegate?.Invoke(context) ?? Task.CompletedTask);
        _pipeline = pipeline.Build();
    }

    /// <summary>The app's endpoints, for what reads them from the container (the OpenAPI document, link generation).</summary>
    public EndpointDataSource Endpoints { get; }

    /// <summary>Runs the function's endpoint; the answer is written to the context as it goes (streamed CSVs
    /// included), so the function's result is empty. A result at all gives the function its HTTP output binding.</summary>
    public async Task<IResult> InvokeAsync(string function, HttpContext context)
    {
        var method = context.Request.Method;
        var endpoint = _byFunction.TryGetValue(function, out var candidates)
            ? candidates.FirstOrDefault(e => e.Metadata.GetMetadata<IHttpMethodMetadata>() is not { } methods
                                             || methods.HttpMethods.Any(m => string.Equals(m, method, StringComparison.OrdinalIgnoreCase)))
            : null;
        if (endpoint is null)
        {
            // A function whose routes this configuration does not map (the local telemetry view switched off).
            return candidates is null ? TypedResults.NotFound() : TypedResults.StatusCode(StatusCodes.Status405MethodNotAllowed);
        }
        context.SetEndpoint(endpoint);
        await _pipeline(context);
        return TypedResults.Empty;
    }

    /// <summary>A route table of our own: the worker's routing must only ever see the functions' routes.</summary>
    private sealed class EndpointTable(IServiceProvider services) : IEndpointRouteBuilder
    {
        public IServiceProvider ServiceProvider => services;
        public ICollection<EndpointDataSource> DataSources { get; } = [];
        public IApplicationBuilder CreateApplicationBuilder() => new ApplicationBuilder(services);
    }
}
