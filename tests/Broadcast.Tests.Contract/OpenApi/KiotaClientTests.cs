using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Broadcast.Sandbox;
using Broadcast.Tests.Infrastructure;

namespace Broadcast.Tests.Contract.OpenApi;

/// <summary>The document as a .NET user reads it: Kiota (the pinned dotnet tool) generates a C# client from the served
/// document, a small program (KiotaClient/Program.cs) is compiled against it and run against the app and the vendor
/// sandbox. It sends the README's examples through the client's own types; what it sends and what the vendors then
/// receive are what the README's curl examples send and make the vendors receive.</summary>
public sealed class KiotaClientTests
{
    private static readonly string ProgramDirectory = Path.Combine(AppContext.BaseDirectory, "OpenApi", "KiotaClient");

    // Kiota reports usage and looks for a newer release unless told not to: the test reaches no host but the app's.
    private static readonly Dictionary<string, string> Offline = new()
    {
        ["KIOTA_TELEMETRY_OPTOUT"] = "true",
        ["KIOTA_UPDATE_DISABLED"] = "true",
        ["KIOTA_TUTORIAL_ENABLED"] = "false",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
    };

    private sealed record Examples(JsonObject Qiscus, JsonObject Khoros, JsonObject Promo, JsonObject Invoices, JsonObject Suppression);

    private static Examples ReadmeBodies()
    {
        var all = ReadmeExamples.All();
        JsonObject Find(string path, Func<JsonObject, bool> which) => all.First(e => e.Path == path && which(e.Body)).Body;
        static string? Provider(JsonObject body) => (string?)body["provider"];
        return new Examples(
            Find("/api/messages", b => Provider(b) == "qiscus"),
            Find("/api/messages", b => Provider(b) == "khoros" && b["text"] is not null),
            Find("/api/broadcasts", b => b["recipients"] is not null),
            Find("/api/broadcasts", b => b["upload_id"] is not null),
            Find("/api/suppressions", _ => true));
    }

    [Fact]
    public async Task A_csharp_client_kiota_generates_from_the_document_sends_what_the_readme_examples_send()
    {
        var examples = ReadmeBodies();
        await ChildProcess.RestoreDotnetToolsAsync();
        await using var stack = await Stack.StartAsync();
        var app = stack.App;
        var vendors = stack.Sandbox.State;

        var built = BuildProgramAsync(await app.Client.GetStringAsync("api/openapi/v1.json"));
        await SendAsCurlDoesAsync(app, examples);
        var byCurl = await VendorCallsAsync(app, vendors);
        vendors.ClearRecords();

        var program = await built;
        var output = await ChildProcess.RunAsync("dotnet", ProgramDirectory,
            [program, app.BaseUrl.ToString().TrimEnd('/'), TestApp.ApiKey, RepoPaths.Sample("qiscus-template.csv")], TimeSpan.FromMinutes(3), Offline);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("DONE", lines[^1]);

        var byClient = await VendorCallsAsync(app, vendors);
        Assert.Equal(5, byCurl.Count); // the Qiscus template, the Khoros text, the upload's three (the promo is canceled, the suppressed skipped)
        Assert.Equal(byCurl, byClient);

        var sent = lines.Where(l => l.StartsWith("SENT ", StringComparison.Ordinal)).Select(l => JsonNode.Parse(l["SENT ".Length..])!.AsObject()).ToList();
        Assert.All(sent, s => Assert.True((bool)s["has_api_key"]!, $"{s["method"]} {s["path"]} without x-functions-key"));
        var uploadId = lines.Single(l => l.StartsWith("UPLOAD ", StringComparison.Ordinal))["UPLOAD ".Length..];
        var invoices = examples.Invoices.DeepClone().AsObject();
        invoices["upload_id"] = uploadId;

        var posts = sent.Where(s => (string?)s["method"] == "POST" && (string?)s["content_type"] == "application/json").ToList();
        AssertBody(examples.Qiscus, posts[0], "/api/messages", "?wait=10");
        AssertBody(examples.Khoros, posts[1], "/api/messages", "?wait=10");
        AssertBody(examples.Promo, posts[2], "/api/broadcasts", "");
        AssertBody(invoices, posts[3], "/api/broadcasts", "");
        AssertBody(examples.Suppression, posts[4], "/api/suppressions", "");
        AssertBody(examples.Qiscus, posts[5], "/api/messages", "?wait=10");
        Assert.Contains(sent, s => ((string)s["path"]!).EndsWith("/recipients", StringComparison.Ordinal) && (string?)s["query"] == "?status=queued");

        var upload = sent.Single(s => (string?)s["path"] == "/api/uploads");
        Assert.Equal("multipart/form-data", (string?)upload["content_type"]);
        var form = (string)upload["body"]!;
        Assert.Contains(File.ReadAllText(RepoPaths.Sample("qiscus-template.csv")), form, StringComparison.Ordinal);
    }

    private static void AssertBody(JsonObject readme, JsonObject sent, string path, string query)
    {
        Assert.Equal(path, (string?)sent["path"]);
        Assert.Equal(query, (string?)sent["query"]);
        var body = JsonNode.Parse((string)sent["body"]!);
        Assert.True(JsonNode.DeepEquals(Instants(readme), Instants(body)), $"{path}: the README sends\n{readme.ToJsonString()}\nthe client sent\n{body!.ToJsonString()}");
    }

    /// <summary>A copy with each date-time string in one spelling: <c>Z</c> and <c>+00:00</c> are the same instant.</summary>
    private static JsonNode? Instants(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Instants(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Instants)]),
        JsonValue v when v.TryGetValue<string>(out var s) && s.Length >= 20 && s[10] == 'T'
                         && DateTimeOffset.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var t)
            => JsonValue.Create(t.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture)),
        _ => node?.DeepClone(),
    };

    /// <summary>The README's curl examples in the order the program sends them, with the bodies as the README writes them.</summary>
    private static async Task SendAsCurlDoesAsync(TestApp app, Examples examples)
    {
        async Task<JsonElement> Post(string path, JsonNode body, HttpStatusCode expected)
        {
            using var response = await app.Client.PostAsync(path, new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
            var json = await response.JsonAsync();
            Assert.True(expected == response.StatusCode, $"POST {path}: {(int)response.StatusCode} {json}");
            return json;
        }

        await Post("api/messages?wait=10", examples.Qiscus, HttpStatusCode.OK);
        await Post("api/messages?wait=10", examples.Khoros, HttpStatusCode.OK);
        var promo = (await Post("api/broadcasts", examples.Promo, HttpStatusCode.Accepted)).Str("id");
        await app.GetJsonAsync($"api/broadcasts/{promo}/recipients?status=queued");
        Assert.Equal(HttpStatusCode.Accepted, (await app.Client.PostAsync($"api/broadcasts/{promo}/cancel", null)).StatusCode);

        using var form = new MultipartFormDataContent
        {
            { new StringContent("qiscus"), "provider" },
            { new StringContent("2"), "template" },
            { new ByteArrayContent(await File.ReadAllBytesAsync(RepoPaths.Sample("qiscus-template.csv"))), "file", "qiscus-template.csv" },
        };
        using var uploaded = await app.Client.PostAsync("api/uploads", form);
        Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        var invoices = examples.Invoices.DeepClone().AsObject();
        invoices["upload_id"] = (await uploaded.JsonAsync()).Str("upload_id");
        var broadcast = (await Post("api/broadcasts", invoices, HttpStatusCode.Accepted)).Str("id");
        await Poll.UntilAsync(() => app.GetJsonAsync($"api/broadcasts/{broadcast}"), s => s.Str("status") == "completed", TimeSpan.FromSeconds(60), "the upload's broadcast");

        await Post("api/suppressions", examples.Suppression, HttpStatusCode.Created);
        var skipped = await Post("api/messages?wait=10", examples.Qiscus, HttpStatusCode.OK);
        Assert.Equal("suppressed", skipped.GetProperty("recipient").Str("status"));
        Assert.Equal(HttpStatusCode.NoContent, (await app.Client.DeleteAsync("api/suppressions/6281290641111")).StatusCode);
    }

    /// <summary>What the vendors received, each call as vendor, method, path, content type and body, with the ids
    /// of the app's broadcasts (a message without a name is sent as "broadcast {id}") replaced by their kind.</summary>
    private static async Task<List<string>> VendorCallsAsync(TestApp app, SandboxState vendors)
    {
        var ids = (await app.GetJsonAsync("api/broadcasts?limit=100")).GetProperty("items").EnumerateArray().Select(b => b.Str("id")).ToList();
        return vendors.Requests().Select(r => ids.Aggregate($"{r.Vendor} {r.Method} {r.Path} {r.ContentType}\n{r.Body}",
            (call, id) => call.Replace(id, "<broadcast id>", StringComparison.Ordinal))).ToList();
    }

    /// <summary>Generates the client into the program's folder (copied to the test's output, inside the repository,
    /// so it builds with the repository's pinned package versions) and builds the program; the path of its dll.</summary>
    private static async Task<string> BuildProgramAsync(string document)
    {
        var client = Path.Combine(ProgramDirectory, "Client");
        var documentPath = Path.Combine(ProgramDirectory, "openapi.json");
        await File.WriteAllTextAsync(documentPath, document);
        await ChildProcess.RunAsync("dotnet", RepoPaths.Root,
            ["tool", "run", "kiota", "generate", "--language", "CSharp", "--openapi", documentPath, "--output", client,
                "--class-name", "BroadcastClient", "--namespace-name", "Broadcast.KiotaClient", "--exclude-backward-compatible", "--clean-output"],
            TimeSpan.FromMinutes(2), Offline);
        // No build server left running: it would hold the output pipes open after the build ends.
        await ChildProcess.RunAsync("dotnet", ProgramDirectory,
            ["build", "KiotaProgram.csproj", "-c", "Release", "-nologo", "-v", "quiet", "-nodeReuse:false", "-p:UseSharedCompilation=false"],
            TimeSpan.FromMinutes(5), Offline);
        return Path.Combine(ProgramDirectory, "bin", "Release", "net10.0", "KiotaProgram.dll");
    }
}
