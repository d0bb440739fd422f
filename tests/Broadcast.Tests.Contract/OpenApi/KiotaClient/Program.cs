using System.Text.Json;
using Broadcast.KiotaClient;
using Broadcast.KiotaClient.Models;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;

// What a .NET user of the generated client writes for the README's examples, with the client's own types. Each
// request it sends is written to standard output as one line, "SENT {json}", for the test to hold against the
// README's curl examples; an answer that is not what the README says ends it with exit code 1, naming it.
if (args.Length != 3) return Fail("usage: KiotaProgram <base url> <api key> <csv file>");
var (baseUrl, apiKey, csvPath) = (args[0], args[1], args[2]);

using var http = KiotaClientFactory.Create(new RecordingHandler { InnerHandler = new HttpClientHandler() });
// Kiota's ApiKeyAuthenticationProvider sends a key over https only (a deployed app); the local app is http.
http.DefaultRequestHeaders.Add("x-functions-key", apiKey);
var client = new BroadcastClient(new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http) { BaseUrl = baseUrl });

// Qiscus: a WhatsApp template with positional variables, waiting for its outcome.
var qiscus = await client.Api.Messages.PostAsync(QiscusTemplate(), q => q.QueryParameters.Wait = 10);
Expect(qiscus is { Status: BroadcastStatusName.Completed, Recipient.Status: RecipientStatusName.Sent }, $"qiscus template: {Describe(qiscus)}");

// Khoros Flow: a text.
var khoros = await client.Api.Messages.PostAsync(new SendMessageRequest
{
    Provider = Provider.Khoros, To = "+1 234 567 8901", Name = "John Doe", Text = "Your order has shipped",
}, q => q.QueryParameters.Wait = 10);
Expect(khoros is { Status: BroadcastStatusName.Completed, Recipient.Status: RecipientStatusName.Sent }, $"khoros text: {Describe(khoros)}");

// Inline recipients with named variables, scheduled, read back with its recipients filtered by status, canceled.
var promo = await client.Api.Broadcasts.PostAsync(new CreateBroadcastRequest
{
    Name = "spring promo", Provider = Provider.Omnichat, Text = "Hi {name}, use code {code}",
    StartedAt = "2030-01-01T09:00:00Z",
    Recipients =
    [
        new InlineRecipient { To = "081290641111", Name = "Budi", Variables = Named(("{name}", "Budi"), ("{code}", "B-1")) },
        new InlineRecipient { To = "081290642222", Name = "Ani", Variables = Named(("{name}", "Ani"), ("{code}", "A-2")) },
    ],
});
var promoId = promo?.Id ?? throw new InvalidOperationException("no broadcast id");
var scheduled = await client.Api.Broadcasts[promoId].GetAsync();
Expect(scheduled is { Status: BroadcastStatusName.Scheduled, TotalRecipient: 2 }, $"scheduled broadcast: {scheduled?.Status} {scheduled?.TotalRecipient}");
var queued = await client.Api.Broadcasts[promoId].Recipients.GetAsync(q => q.QueryParameters.Status = RecipientStatusName.Queued);
Expect(queued?.Items is [{ PhoneNumber: "6281290641111", Name: "Budi" }, { PhoneNumber: "6281290642222", Name: "Ani" }], $"queued recipients: {queued?.Items?.Count}");
var sent = await client.Api.Broadcasts[promoId].Recipients.GetAsync(q => { q.QueryParameters.Status = RecipientStatusName.Sent; q.QueryParameters.Limit = 10; });
Expect(sent?.Items is [], $"sent recipients of a scheduled broadcast: {sent?.Items?.Count}");
var canceled = await client.Api.Broadcasts[promoId].Cancel.PostAsync();
Expect(canceled?.Status == BroadcastStatusName.Canceled, $"canceled: {canceled?.Status}");

// A CSV in the Qiscus dashboard's layout, then a broadcast of it.
var form = new MultipartBody();
form.AddOrReplacePart("provider", "text/plain", "qiscus");
form.AddOrReplacePart("template", "text/plain", "2");
form.AddOrReplacePart("file", "text/csv", File.OpenRead(csvPath), Path.GetFileName(csvPath));
var upload = await client.Api.Uploads.PostAsync(form);
Expect(upload is { Layout: "qiscus_template", ValidRecipients: 3, Errors: [] }, $"upload: {upload?.Layout} {upload?.ValidRecipients}");
Console.WriteLine("UPLOAD " + upload!.UploadId);
var invoices = await client.Api.Broadcasts.PostAsync(new CreateBroadcastRequest
{
    Name = "March invoices", Provider = Provider.Qiscus, UploadId = upload.UploadId,
    Template = new CreateBroadcastRequest.CreateBroadcastRequest_template { TemplateRequest = new TemplateRequest
    {
        Name = "invoince_update", Id = new() { String = "172" }, Namespace = "6616bb93_d895_41e7_8bbe_2c528219e56e", Language = "id",
    } },
});
var done = await UntilFinishedAsync(invoices?.Id ?? throw new InvalidOperationException("no broadcast id"));
Expect(done is { Status: BroadcastStatusName.Completed, TotalSent: 3 }, $"upload broadcast: {done?.Status} sent {done?.TotalSent}");

// A suppressed number is skipped, then allowed again.
var suppressed = await client.Api.Suppressions.PostAsync(new AddSuppressionRequest { PhoneNumber = "0812-9064-1111", Reason = "asked" });
Expect(suppressed?.PhoneNumber == "6281290641111", $"suppression: {suppressed?.PhoneNumber}");
var skipped = await client.Api.Messages.PostAsync(QiscusTemplate(), q => q.QueryParameters.Wait = 10);
Expect(skipped?.Recipient?.Status == RecipientStatusName.Suppressed, $"message to a suppressed number: {Describe(skipped)}");
var list = await client.Api.Suppressions.GetAsync(q => q.QueryParameters.Limit = 100);
Expect(list?.Items?.Any(s => s.PhoneNumber == "6281290641111") == true, "the suppression is listed");
await client.Api.Suppressions["6281290641111"].DeleteAsync();
try
{
    await client.Api.Suppressions["6281290641111"].GetAsync();
    return Fail("the deleted suppression is still found");
}
catch (Problem problem) when (problem.Status == 404)
{
}

// A refusal arrives as the document's problem type, naming the field.
try
{
    await client.Api.Messages.PostAsync(new SendMessageRequest { Provider = Provider.Omnichat, To = "12", Text = "hi" });
    return Fail("a bad number was accepted");
}
catch (Problem problem) when (problem is { Status: 400, Field: "to" })
{
}
Console.WriteLine("DONE");
return 0;

SendMessageRequest QiscusTemplate() => new()
{
    Provider = Provider.Qiscus, To = "0812-9064-1111",
    Template = new SendMessageRequest.SendMessageRequest_template { TemplateRequest = new TemplateRequest
    {
        Name = "invoince_update", Id = new() { String = "172" }, Namespace = "6616bb93_d895_41e7_8bbe_2c528219e56e", Language = "id",
        Variables = new() { String = ["Rp. 30.000", "10 Maret 2022"] },
        Buttons = [new ButtonRequest { Type = "url", Values = new() { ButtonRequestValuesString = "coba" }, Index = 0 }],
    } },
};

static InlineRecipient.InlineRecipient_variables Named(params (string Name, string Value)[] variables)
{
    var named = new NamedVariables();
    foreach (var (name, value) in variables) named.AdditionalData[name] = value;
    return new InlineRecipient.InlineRecipient_variables { NamedVariables = named };
}

async Task<BroadcastState?> UntilFinishedAsync(string id)
{
    // Sending three recipients takes well under a second; the deadline leaves room for a loaded machine.
    var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
    while (true)
    {
        var state = await client.Api.Broadcasts[id].GetAsync();
        if (state?.Status is BroadcastStatusName.Completed or BroadcastStatusName.Failed or BroadcastStatusName.Canceled || DateTimeOffset.UtcNow > deadline)
            return state;
        await Task.Delay(TimeSpan.FromMilliseconds(100));
    }
}

static string Describe(MessageState? m) => m is null ? "no answer" : $"{m.Status}, recipient {m.Recipient?.Status} {m.Recipient?.Error}";

static void Expect(bool condition, string what)
{
    if (!condition) throw new InvalidOperationException("unexpected " + what);
}

static int Fail(string message)
{
    Console.Error.WriteLine(message);
    return 1;
}

/// <summary>Writes each request the client sends, before it goes: what the test compares with the README.</summary>
internal sealed class RecordingHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(ct);
        Console.WriteLine("SENT " + JsonSerializer.Serialize(new
        {
            method = request.Method.Method,
            path = request.RequestUri!.AbsolutePath,
            query = request.RequestUri.Query,
            content_type = request.Content?.Headers.ContentType?.MediaType,
            has_api_key = request.Headers.Contains("x-functions-key"),
            body,
        }));
        return await base.SendAsync(request, ct);
    }
}
