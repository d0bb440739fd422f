using System.Net;
using System.Reflection;
using System.Text.Json.Nodes;
using Broadcast.Core.Workflow;
using Broadcast.Functions.Apis;
using Broadcast.Tests.Infrastructure;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace Broadcast.Tests.Contract.OpenApi;

/// <summary>The OpenAPI document as a client generator reads it: valid, complete (every route, body and answer),
/// and true to what the API writes and reads.</summary>
public sealed class OpenApiDocumentTests
{
    private static async Task<(string Text, JsonObject Json)> DocumentAsync(TestApp app)
    {
        using var anonymous = new HttpClient { BaseAddress = app.BaseUrl };
        var response = await anonymous.GetAsync("api/openapi/v1.json"); // public: it describes, it holds no data
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        return (text, JsonNode.Parse(text)!.AsObject());
    }

    private static IEnumerable<(string Path, string Method, JsonObject Operation)> Operations(JsonObject doc) =>
        doc["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Where(o => o.Value is JsonObject { } op && op.ContainsKey("responses"))
            .Select(o => (p.Key, o.Key, o.Value!.AsObject())));

    [Fact]
    public async Task The_document_validates_and_names_every_operation_and_its_key()
    {
        await using var app = await TestApp.StartAsync();
        var (text, doc) = await DocumentAsync(app);

        var settings = new OpenApiReaderSettings();
        var read = OpenApiDocument.Parse(text, "json", settings);
        Assert.Empty(read.Diagnostic?.Errors ?? []);
        Assert.Empty(read.Document!.Validate(ValidationRuleSet.GetDefaultRuleSet()) ?? []);

        var operations = Operations(doc).ToList();
        Assert.Equal(24, operations.Count);
        var ids = operations.Select(o => (string?)o.Operation["operationId"]).ToList();
        Assert.All(ids, id => Assert.False(string.IsNullOrEmpty(id)));
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Contains("CreateBroadcast", ids);

        var schemes = doc["components"]!["securitySchemes"]!.AsObject();
        Assert.Equal("x-functions-key", (string?)schemes["functionKey"]!["name"]);
        Assert.Equal("header", (string?)schemes["functionKey"]!["in"]);
        Assert.Equal("code", (string?)schemes["functionKeyQuery"]!["name"]);
        Assert.Equal("query", (string?)schemes["functionKeyQuery"]!["in"]);
        Assert.Equal(2, doc["security"]!.AsArray().Count); // either one
        Assert.Empty(doc["paths"]!["/api/health"]!["get"]!["security"]!.AsArray()); // no key needed
        Assert.Equal("token", (string?)schemes[(string)doc["paths"]!["/api/callbacks/{provider}"]!["post"]!["security"]![0]!.AsObject().First().Key]!["name"]);
    }

    [Fact]
    public async Task Every_body_and_answer_is_described_with_no_empty_schema()
    {
        await using var app = await TestApp.StartAsync();
        var (_, doc) = await DocumentAsync(app);

        var upload = doc["paths"]!["/api/uploads"]!["post"]!;
        var form = upload["requestBody"]!["content"]!["multipart/form-data"]!["schema"]!;
        Assert.Equal("binary", (string?)form["properties"]!["file"]!["format"]);
        Assert.Contains("file", form["required"]!.AsArray().Select(r => (string?)r));
        Assert.NotNull(upload["requestBody"]!["content"]!["text/csv"]);
        Assert.NotNull(doc["paths"]!["/api/broadcasts/{id}/recipients.csv"]!["get"]!["responses"]!["200"]!["content"]!["text/csv"]);

        foreach (var (path, method, op) in Operations(doc))
        {
            var responses = op["responses"]!.AsObject();
            if (path != "/api/health")
            {
                Assert.True(responses.ContainsKey("503"), $"{method} {path} has no 503");
                Assert.NotNull(responses["503"]!["headers"]!["Retry-After"]);
                Assert.NotNull(responses["503"]!["content"]!["application/problem+json"]);
            }
            if (op["requestBody"]?["content"]?["application/json"] is not null)
                foreach (var status in new[] { "400", "413", "415" })
                    Assert.True(responses.ContainsKey(status), $"{method} {path} has no {status}");
        }
        var create = doc["paths"]!["/api/broadcasts"]!["post"]!["responses"]!.AsObject();
        Assert.All(new[] { "202", "404", "409", "422" }, status => Assert.True(create.ContainsKey(status), status));
        Assert.Equal("#/components/schemas/Problem", (string?)create["422"]!["content"]!["application/problem+json"]!["schema"]!["$ref"]);

        var empty = new List<string>();
        FindEmptySchemas(doc, "#", empty);
        Assert.Empty(empty);
        Assert.False(doc["components"]!["schemas"]!.AsObject().ContainsKey("JsonElement"));
    }

    /// <summary>A schema position (a property, items, a oneOf branch, a media type's schema) holding <c>{}</c>.</summary>
    private static void FindEmptySchemas(JsonNode? node, string path, List<string> found)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    var isSchemaSlot = key is "schema" or "items" or "additionalProperties" || path.EndsWith("/properties", StringComparison.Ordinal)
                                       || path.EndsWith("/components/schemas", StringComparison.Ordinal);
                    if (isSchemaSlot && value is JsonObject { Count: 0 }) found.Add($"{path}/{key}");
                    FindEmptySchemas(value, $"{path}/{key}", found);
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (path.EndsWith("/oneOf", StringComparison.Ordinal) && array[i] is JsonObject { Count: 0 }) found.Add($"{path}/{i}");
                    FindEmptySchemas(array[i], $"{path}/{i}", found);
                }
                break;
        }
    }

    [Fact]
    public async Task Answers_are_typed_as_written_statuses_and_providers_are_enums_and_requests_require_only_what_they_need()
    {
        await using var app = await TestApp.StartAsync();
        var (_, doc) = await DocumentAsync(app);
        var schemas = doc["components"]!["schemas"]!.AsObject();

        var state = schemas["BroadcastState"]!;
        foreach (var counter in new[] { "total_recipient", "total_queued", "total_sent", "total_failed", "total_canceled", "total_unknown", "total_suppressed", "total_received", "total_read" })
            Assert.Equal("integer", (string?)state["properties"]![counter]!["type"]);
        Assert.Equal("integer", (string?)schemas["UploadResponse"]!["properties"]!["valid_recipients"]!["type"]);
        Assert.DoesNotContain("recipient", state["required"]!.AsArray().Select(r => (string?)r)); // left out when null
        Assert.Contains("completed_at", state["required"]!.AsArray().Select(r => (string?)r)); // written as null

        string[] Enum(string name) => schemas[name]!["enum"]!.AsArray().Select(v => (string)v!).ToArray();
        Assert.Equal(["scheduled", "running", "waiting", "canceling", "completed", "canceled", "failed"], Enum("BroadcastStatusName"));
        Assert.Equal(RecipientStatus.Listed, Enum("RecipientStatusName"));
        Assert.Equal(["qiscus", "khoros", "omnichat"], Enum("Provider"));
        Assert.Equal("#/components/schemas/BroadcastStatusName", (string?)state["properties"]!["status"]!["$ref"]);
        // A request field taking an answer's words refers to the same enum, which has no null among them.
        Assert.Equal("#/components/schemas/Provider", (string?)schemas["SendMessageRequest"]!["properties"]!["provider"]!["$ref"]);
        Assert.Equal("#/components/schemas/DeliveryGuarantee", (string?)schemas["CreateBroadcastRequest"]!["properties"]!["delivery"]!["$ref"]);
        Assert.Equal(["at_least_once", "at_most_once"], Enum("DeliveryGuarantee"));
        var enums = new List<(string Path, JsonArray Words)>();
        FindEnums(doc, "#", enums);
        Assert.NotEmpty(enums);
        Assert.All(enums, e => Assert.True(e.Words.All(w => w is not null), $"{e.Path} has null among its words"));

        Assert.Equal(["provider", "to"], schemas["SendMessageRequest"]!["required"]!.AsArray().Select(v => (string)v!).Order());
        Assert.Null(schemas["TemplateRequest"]!["required"]);
        Assert.Equal("string", (string?)schemas["SendMessageRequest"]!["properties"]!["to"]!["type"]); // required: null is refused
    }

    [Fact]
    public async Task The_campaign_controls_and_resend_are_described_in_requests_answers_and_their_route()
    {
        await using var app = await TestApp.StartAsync();
        var (_, doc) = await DocumentAsync(app);
        var schemas = doc["components"]!["schemas"]!.AsObject();
        string[] Names(string schema) => schemas[schema]!["properties"]!.AsObject().Select(p => p.Key).ToArray();
        string? Described(string schema, string property) => (string?)schemas[schema]!["properties"]![property]!["description"];

        foreach (var request in new[] { "SendMessageRequest", "CreateBroadcastRequest" })
            foreach (var field in new[] { "started_at", "time_zone", "window", "expires_at", "max_per_minute", "notify_url" })
            {
                Assert.Contains(field, Names(request));
                if (field != "window") Assert.False(string.IsNullOrEmpty(Described(request, field)), $"{request}.{field} has no description");
            }
        Assert.Contains("2026-12-01T09:00:00+07:00", Described("CreateBroadcastRequest", "started_at"));
        Assert.Equal(["from", "to"], schemas["WindowRequest"]!["required"]!.AsArray().Select(v => (string)v!).Order());
        Assert.Equal(["days", "from", "to"], Names("WindowRequest").Order());
        Assert.False(schemas["WindowRequest"]!["additionalProperties"]!.GetValue<bool>());
        foreach (var field in new[] { "time_zone", "window", "expires_at", "max_per_minute", "notify_url", "resend_of", "total_expired", "resumes_at" })
            Assert.Contains(field, Names("BroadcastState"));
        Assert.Contains("expired", schemas["RecipientStatusName"]!["enum"]!.AsArray().Select(v => (string?)v));
        Assert.Contains("delivered_at", Names("RecipientState"));
        Assert.Contains("read_at", Names("RecipientState"));

        var resend = doc["paths"]!["/api/broadcasts/{id}/resend"]!["post"]!;
        Assert.Equal("ResendBroadcast", (string?)resend["operationId"]);
        Assert.All(new[] { "202", "400", "404", "409", "422" }, status => Assert.True(resend["responses"]!.AsObject().ContainsKey(status), status));
        Assert.Equal("#/components/schemas/BroadcastState", (string?)resend["responses"]!["202"]!["content"]!["application/json"]!["schema"]!["$ref"]);
        Assert.Equal(["expires_at", "started_at", "statuses", "window"], Names("ResendBroadcastRequest").Order());
        Assert.False(schemas["ResendBroadcastRequest"]!["additionalProperties"]!.GetValue<bool>());
        Assert.Contains("unknown", Described("ResendBroadcastRequest", "statuses"));
        Assert.Contains(resend["parameters"]!.AsArray(), p => (string?)p!["name"] == "Idempotency-Key" && (string?)p["in"] == "header");
    }

    [Fact]
    public async Task Query_parameters_headers_servers_and_answers_are_what_a_generated_client_needs()
    {
        await using var app = await TestApp.StartAsync();
        var (_, doc) = await DocumentAsync(app);
        var paths = doc["paths"]!;
        JsonObject Parameter(string path, string method, string name) =>
            paths[path]![method]!["parameters"]!.AsArray().Single(p => (string?)p!["name"] == name)!.AsObject();

        // Integers are integers (a handler reads each as text to name it in a 400, so the framework says string).
        foreach (var (path, method, name) in new[]
                 {
                     ("/api/messages", "post", "wait"), ("/api/broadcasts", "get", "limit"), ("/api/broadcasts/{id}/recipients", "get", "limit"),
                     ("/api/suppressions", "get", "limit"), ("/api/uploads/{id}/errors", "get", "limit"),
                 })
            Assert.Equal("integer", (string?)Parameter(path, method, name)["schema"]!["type"]);
        Assert.Equal(60, (int?)Parameter("/api/messages", "post", "wait")["schema"]!["maximum"]);
        Assert.Equal("#/components/schemas/RecipientStatusName", (string?)Parameter("/api/broadcasts/{id}/recipients", "get", "status")["schema"]!["$ref"]);

        // The headers the API reads: the key as a security scheme (above), Idempotency-Key as a parameter.
        foreach (var path in new[] { "/api/messages", "/api/broadcasts" })
        {
            var key = Parameter(path, "post", "Idempotency-Key");
            Assert.Equal("header", (string?)key["in"]);
            Assert.Equal(255, (int?)key["schema"]!["maxLength"]);
        }

        var servers = doc["servers"]!.AsArray();
        Assert.Equal("http://localhost:7071", (string?)Assert.Single(servers)!["url"]);

        // One schema for both answers of POST /api/messages, so a generated client reads either.
        var answers = paths["/api/messages"]!["post"]!["responses"]!;
        Assert.Equal("#/components/schemas/MessageState", (string?)answers["202"]!["content"]!["application/json"]!["schema"]!["$ref"]);
        Assert.Equal("#/components/schemas/MessageState", (string?)answers["200"]!["content"]!["application/json"]!["schema"]!["$ref"]);

        // Positional variables are a list of strings (a list of mixed types becomes empty objects in Kiota's C#).
        var schemas = doc["components"]!["schemas"]!;
        var variables = schemas["TemplateRequest"]!["properties"]!["variables"]!["oneOf"]!.AsArray();
        Assert.Contains(variables, v => (string?)v!["type"] == "array" && (string?)v["items"]!["type"] == "string");
        Assert.Contains(variables, v => (string?)v!["$ref"] == "#/components/schemas/NamedVariables");
        Assert.Equal("string", (string?)schemas["NamedVariables"]!["additionalProperties"]!["type"]);
    }

    [Fact]
    public async Task Redoclys_recommended_rules_find_no_error()
    {
        var cli = Path.Combine(RepoPaths.Root, "node_modules", "@redocly", "cli", "bin", "cli.js");
        Assert.True(File.Exists(cli), "npm ci (scripts/node-tools.sh, run by the test command) installs @redocly/cli (package-lock.json)");
        await using var app = await TestApp.StartAsync();
        var (text, _) = await DocumentAsync(app);
        var dir = Directory.CreateTempSubdirectory("contract-lint-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir, "openapi.json"), text);
            // No redocly.yaml in the folder: the recommended rules, and nothing sent anywhere.
            var report = await ChildProcess.RunAsync("node", dir, [cli, "lint", "openapi.json", "--extends=recommended", "--format=json"],
                TimeSpan.FromMinutes(2), new Dictionary<string, string> { ["REDOCLY_TELEMETRY"] = "off", ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true" });
            var json = JsonNode.Parse(report[report.IndexOf('{')..])!;
            var problems = json["problems"]!.AsArray().Select(p => $"{p!["severity"]} {p["ruleId"]}: {p["message"]} at {p["location"]![0]!["pointer"]}").ToList();
            Assert.True((int)json["totals"]!["errors"]! == 0, string.Join('\n', problems));
            // The warnings that stay: the repository states no license, and the server is the run command's localhost.
            Assert.All(json["problems"]!.AsArray(), p => Assert.Contains((string?)p!["ruleId"], new[] { "info-license", "no-server-example.com" }));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Every <c>enum</c> in the document, with where it is.</summary>
    private static void FindEnums(JsonNode? node, string path, List<(string, JsonArray)> found)
    {
        if (node is JsonObject obj)
            foreach (var (key, value) in obj)
            {
                if (key == "enum" && value is JsonArray words) found.Add(($"{path}/{key}", words));
                FindEnums(value, $"{path}/{key}", found);
            }
        else if (node is JsonArray array)
            for (var i = 0; i < array.Count; i++) FindEnums(array[i], $"{path}/{i}", found);
    }

    [Fact]
    public void Every_core_status_word_has_its_api_name()
    {
        static IEnumerable<string> Words(Type type) => type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!);
        foreach (var word in Words(typeof(BroadcastStatus)))
            Assert.Equal(word, JsonNamingSnake(StatusNames.Of(word).ToString()));
        foreach (var word in Words(typeof(RecipientStatus)).Where(w => w != RecipientStatus.Sending))
            Assert.Equal(word, JsonNamingSnake(StatusNames.OfRecipient(word).ToString()));
        Assert.Equal(RecipientStatusName.Queued, StatusNames.OfRecipient(RecipientStatus.Sending));
    }

    private static string JsonNamingSnake(string name) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(name);
}
