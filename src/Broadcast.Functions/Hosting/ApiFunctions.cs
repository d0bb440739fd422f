using Broadcast.Core.Workflow;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Broadcast.Functions.Hosting;

/// <summary>Under the Functions host, an HTTP function per route the standalone form serves (anonymous: the app checks
/// its own API keys), each running the app's own endpoint for it through <see cref="HostedApi"/>: the handlers, their
/// binding, filters and middleware are written once. Names and routes are those <see cref="HttpFunctionRoutes"/>
/// derives from the standalone app; the publish contract test fails when a route has no function here or differs.
/// Every function takes the Durable client, so whichever request comes first hands it to <see cref="DurableClientSource"/>
/// for the handlers and the work they start; the local telemetry view (off outside Development) comes last.</summary>
public sealed class ApiFunctions(HostedApi api, DurableClientSource clients)
{
    private const AuthorizationLevel Anonymous = AuthorizationLevel.Anonymous;

    [Function("Api_Broadcasts")]
    public Task<IResult> Broadcasts([HttpTrigger(Anonymous, "get", "post", Route = "broadcasts")] HttpRequest request, [DurableClient] DurableTaskClient client,
        FunctionContext function) => WithClient(request, client, function);

    [Function("Api_Broadcasts_Id")]
    public Task<IResult> BroadcastsId([HttpTrigger(Anonymous, "get", Route = "broadcasts/{id}")] HttpRequest request, [DurableClient] DurableTaskClient client,
        FunctionContext function) => WithClient(request, client, function);

    [Function("Api_Broadcasts_Id_Cancel")]
    public Task<IResult> BroadcastsIdCancel([HttpTrigger(Anonymous, "post", Route = "broadcasts/{id}/cancel")] HttpRequest request, [DurableClient] DurableTaskClient client,
        FunctionContext function) => WithClient(request, client, function);

    [Function("Api_Broadcasts_Id_Resend")]
    public Task<IResult> BroadcastsIdResend([HttpTrigger(Anonymous, "post", Route = "broadcasts/{id}/resend")] HttpRequest request, [DurableClient] DurableTaskClient client,
        FunctionContext function) => WithClient(request, client, function);

    [Function("Api_Broadcasts_Id_Recipients")]
    public Task<IResult> BroadcastsIdRecipients([HttpTrigger(Anonymous, "get", Route = "broadcasts/{id}/recipients")] HttpRequest request, [DurableClient] DurableTaskClient client,
        FunctionContext function) => WithClient(request, client, function);

    [Function("Api_Broadcasts_Id_RecipientsCsv")]
    public Task<IResult> BroadcastsIdRecipientsCsv([HttpTrigger(Anonymous, "get", Route = "broadcasts/{id}/recipients.csv")] HttpRequest request, [DurableClient] DurableTaskClient client,
        FunctionContext function) => WithClient(request, client, function);

    [Function("Api_Callbacks_Provider")]
    public Task<IResult> CallbacksProvider([HttpTrigger(Anonymous, "post", Route = "callbacks/{provider}")] HttpRequest request, [DurableClient] DurableTaskClient client,
        FunctionContext function) => WithClient(request, client, function);

    [Function("Api_Dashboard_Path")]
    public Task<IResult> DashboardPath([HttpTrigger(Anonymous, "get", Route = "dashboard/{*path}")] HttpRequest request, [DurableClient] DurableTaskClient client,
        FunctionContext function) => WithClient(request, client, function);

    [Function("Api_Docs_DocumentName")]
    public Task<IResult> DocsDocumentName([HttpTrigger(Anonymous, "get", Route = "docs/{documentName?}")] HttpRequest request, [DurableClient] DurableTaskClient client,
        FunctionContext function) => WithClient(request, client, function);

    [Function("Api_Docs_FaviconSvg")]
    public Task<IResult> DocsFaviconSvg([HttpTrigger(Anonymous, "get", Route = "docs/favicon.svg")] HttpRequest request, [DurableClient] DurableTaskClient client,
        FunctionContext function) => WithClient(request, client, function);

    [Function("Api_Docs_ScalarAspnetcoreJs")]
    public Task<IResult> DocsScalarAspnetcoreJs([HttpTrigger(Anonymous, "get", Route = "docs/scalar.aspnetcore.js")] HttpRequest request, [DurableClient] DurableTaskClient client,
        FunctionContext function) => WithClient(request, client, function);

    [Function("Api_Docs_ScalarJs")]
    public Task<IResult> DocsScalarJs([HttpTrigger(Anonymous, "get", Route = "docs/scalar.js")] HttpRequest request, [DurableClient] DurableTaskClient client,
        FunctionContext function) => WithClient(request, client, function);

    [Function("Api_Health")]
    public Task<IResult> Health([HttpTrigger(Anonymous, "get", Route = "health")] HttpRequest request, [DurableClient] DurableTaskClient client,
        FunctionContext function) => WithClient(request, client, function);

    [Function("Api_Messages")]
    public Task<IResult> Messages([HttpTrigger(Anonymous, "post", Route = "messages")] HttpRequest request, [DurableClient] DurableTaskClient client,
        FunctionContext function) => WithClient(request, client, function);

    [Function("Api_Openapi_DocumentNameJson")]
    public Task<IResult> OpenapiDocumentNameJson([HttpTrigger(Anonymous, "get", Route = "openapi/{documentName}.json")] HttpRequest request, [DurableClient] DurableTaskClient client,
        FunctionContext function) => WithClient(request, client, function);

    [Function("Api_Suppressions")]
    public Task<IResult> Suppressions([HttpTrigger(Anonymous, "get", "post", Route = "suppressions")] HttpRequest request, [DurableClient] DurableTaskClient client,
        FunctionContext function) => WithClient(request, client, function);

    [Function("Api_Suppressions_PhoneNumber")]
    public Task<IResult> SuppressionsPhoneNumber([HttpTrigger(Anonymous, "delete", "get", Route = "suppressions/{phone_number}")] HttpRequest request, [DurableClient] DurableTaskClient client,
        FunctionContext function) => WithClient(request, client, function);

    [Function("Api_Templates")]
    public Task<IResult> Templates([HttpTrigger(Anonymous, "get", "post", Route = "templates")] HttpRequest request, [DurableClient] DurableTaskClient client,
        FunctionContext function) => WithClient(request, client, function);

    [Function("Api_Templates_Name")]
    public Task<IResult> TemplatesName([HttpTrigger(Anonymous, "delete", "get", "put", Route = "templates/{name}")] HttpRequest request, [DurableClient] DurableTaskClient client,
        FunctionContext function) => WithClient(request, client, function);

    [Function("Api_Templates_Name_Preview")]
    public Task<IResult> TemplatesNamePreview([HttpTrigger(Anonymous, "post", Route = "templates/{name}/preview")] HttpRequest request, [DurableClient] DurableTaskClient client,
        FunctionContext function) => WithClient(request, client, function);

    [Function("Api_Uploads")]
    public Task<IResult> Uploads([HttpTrigger(Anonymous, "post", Route = "uploads")] HttpRequest request, [DurableClient] DurableTaskClient client,
        FunctionContext function) => WithClient(request, client, function);

    [Function("Api_Uploads_Id")]
    public Task<IResult> UploadsId([HttpTrigger(Anonymous, "get", Route = "uploads/{id}")] HttpRequest request, [DurableClient] DurableTaskClient client,
        FunctionContext function) => WithClient(request, client, function);

    [Function("Api_Uploads_Id_Errors")]
    public Task<IResult> UploadsIdErrors([HttpTrigger(Anonymous, "get", Route = "uploads/{id}/errors")] HttpRequest request, [DurableClient] DurableTaskClient client,
        FunctionContext function) => WithClient(request, client, function);

    [Function("Api_Uploads_Id_Preview")]
    public Task<IResult> UploadsIdPreview([HttpTrigger(Anonymous, "get", Route = "uploads/{id}/preview")] HttpRequest request, [DurableClient] DurableTaskClient client,
        FunctionContext function) => WithClient(request, client, function);

    [Function("Api_Telemetry")]
    public Task<IResult> Telemetry([HttpTrigger(Anonymous, "get", Route = "telemetry")] HttpRequest request, [DurableClient] DurableTaskClient client,
        FunctionContext function) => WithClient(request, client, function);

    [Function("Api_Telemetry_Traces_TraceId")]
    public Task<IResult> TelemetryTracesTraceId([HttpTrigger(Anonymous, "get", Route = "telemetry/traces/{traceId}")] HttpRequest request, [DurableClient] DurableTaskClient client,
        FunctionContext function) => WithClient(request, client, function);

    private Task<IResult> WithClient(HttpRequest request, DurableTaskClient client, FunctionContext function)
    {
        clients.Offer(client);
        return api.InvokeAsync(function.FunctionDefinition.Name, request.HttpContext);
    }
}
