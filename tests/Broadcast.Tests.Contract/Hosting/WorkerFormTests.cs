using System.Net;
using System.Reflection;
using System.Text.Json.Nodes;
using Broadcast.Functions.Hosting;
using Broadcast.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Broadcast.Tests.Contract.Hosting;

/// <summary>The worker form as the Functions host would run it, built (not started: that needs the host's gRPC
/// endpoint) with the app's settings: every function class resolves from its container, and each HTTP function runs
/// the app's own endpoint for its route behind the app's own middleware (API key, problems, the OpenAPI document).
/// The requests are what the worker's ASP.NET Core integration hands a function: its route matched, its values set.</summary>
public sealed class WorkerFormTests : IAsyncLifetime
{
    private IHost _worker = null!;

    public async Task InitializeAsync()
    {
        var azurite = await Azurite.SharedAsync();
        _worker = WorkerApp.Build([
            "--Functions:Worker:HostEndpoint=http://127.0.0.1:1/",
            $"--AzureWebJobsStorage={azurite.ConnectionString}",
            "--Drops:Container=broadcast-drops",
            $"--Api:Keys={TestApp.ApiKey}",
        ]);
    }

    public Task DisposeAsync()
    {
        _worker.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public void Every_function_class_is_built_from_the_workers_container()
    {
        var classes = typeof(WorkerApp).Assembly.GetTypes()
            .Where(t => t.GetMethods().Any(m => m.GetCustomAttribute<FunctionAttribute>() is not null)).ToList();
        Assert.Equal(["ApiFunctions", "DropFunction", "WorkflowFunctions"], classes.Select(t => t.Name).Order());
        using var scope = _worker.Services.CreateScope();
        Assert.All(classes, t => Assert.NotNull(ActivatorUtilities.CreateInstance(scope.ServiceProvider, t)));
    }

    [Fact]
    public void Every_http_function_but_the_switched_off_local_view_has_the_apps_endpoint_and_slash_stays_the_hosts()
    {
        var api = _worker.Services.GetRequiredService<HostedApi>();
        var functions = typeof(ApiFunctions).GetMethods().Select(m => m.GetCustomAttribute<FunctionAttribute>()?.Name).OfType<string>().ToList();
        var mapped = api.Endpoints.Endpoints.OfType<RouteEndpoint>()
            .Select(e => HttpFunctionRoutes.FunctionsRoute(e.RoutePattern)).OfType<string>().Select(HttpFunctionRoutes.FunctionName).ToHashSet();
        Assert.Equal(functions.Where(f => !f.StartsWith("Api_Telemetry", StringComparison.Ordinal)).Order(), mapped.Order());
        Assert.DoesNotContain(api.Endpoints.Endpoints.OfType<RouteEndpoint>(), e => e.RoutePattern.RawText == "/");
    }

    [Fact]
    public async Task The_api_key_the_problems_and_the_handlers_are_the_apps_own()
    {
        var health = await InvokeAsync("Api_Health", "GET", "/api/health");
        Assert.Equal(HttpStatusCode.OK, health.Status);
        Assert.Equal("healthy", JsonNode.Parse(health.Body)!["status"]!.GetValue<string>()); // storage reached through the worker's settings

        var noKey = await InvokeAsync("Api_Broadcasts", "POST", "/api/broadcasts");
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.Status);
        Assert.Equal("application/problem+json", noKey.ContentType);

        // An unknown field is refused naming it, before anything is stored or sent: the app's own binding and handler.
        var typo = await InvokeAsync("Api_Messages", "POST", "/api/messages", key: true,
            body: """{"provider":"khoros","to":"+6281234567890","text":"hi","start_at":"2030-01-01T09:00:00Z"}""");
        Assert.Equal(HttpStatusCode.BadRequest, typo.Status);
        Assert.True(typo.Body.Contains("start_at"), typo.Body);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await InvokeAsync("Api_Messages", "GET", "/api/messages", key: true)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await InvokeAsync("Api_Telemetry", "GET", "/api/telemetry", key: true)).Status);
    }

    [Fact]
    public async Task The_dashboard_and_the_api_description_are_served_by_their_functions()
    {
        var script = await InvokeAsync("Api_Dashboard_Path", "GET", "/api/dashboard/app.js", route: new() { ["path"] = "app.js" });
        Assert.Equal(HttpStatusCode.OK, script.Status);
        Assert.Contains("javascript", script.ContentType);

        var document = await InvokeAsync("Api_Openapi_DocumentNameJson", "GET", "/api/openapi/v1.json", route: new() { ["documentName"] = "v1" });
        Assert.Equal(HttpStatusCode.OK, document.Status);
        var paths = JsonNode.Parse(document.Body)!["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("/api/messages", paths);
        Assert.Contains("/api/broadcasts/{id}/recipients", paths);
    }

    private sealed class HasBody : IHttpRequestBodyDetectionFeature
    {
        public bool CanHaveBody => true;
    }

    private sealed record Answer(HttpStatusCode Status, string? ContentType, string Body);

    private async Task<Answer> InvokeAsync(string function, string method, string path, bool key = false, string? body = null,
        Dictionary<string, object?>? route = null)
    {
        await using var scope = _worker.Services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Method = method;
        context.Request.Path = path;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("127.0.0.1");
        foreach (var (name, value) in route ?? []) context.Request.RouteValues[name] = value;
        if (key) context.Request.Headers["x-functions-key"] = TestApp.ApiKey;
        if (body is not null)
        {
            context.Request.ContentType = "application/json";
            context.Request.Body = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(body));
            context.Request.ContentLength = context.Request.Body.Length;
            context.Features.Set<IHttpRequestBodyDetectionFeature>(new HasBody()); // as Kestrel says of a request with a body
        }
        var response = new MemoryStream();
        context.Response.Body = response;
        var result = await scope.ServiceProvider.GetRequiredService<HostedApi>().InvokeAsync(function, context);
        await result.ExecuteAsync(context);
        return new Answer((HttpStatusCode)context.Response.StatusCode, context.Response.ContentType, System.Text.Encoding.UTF8.GetString(response.ToArray()));
    }
}
