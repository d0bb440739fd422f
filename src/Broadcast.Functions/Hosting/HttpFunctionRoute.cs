namespace Broadcast.Functions.Hosting;

/// <summary>One HTTP function per route the app maps under <c>/api</c>: its Functions route (the template without
/// the <c>api/</c> prefix, which host.json's routePrefix supplies) and every method mapped on that route.</summary>
public sealed record HttpFunctionRoute(string Name, string Route, IReadOnlyList<string>? Methods);
