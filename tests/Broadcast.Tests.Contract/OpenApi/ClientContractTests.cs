using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Broadcast.Tests.Infrastructure;

namespace Broadcast.Tests.Contract.OpenApi;

/// <summary>The document against what people use: the README's examples, the app's real answers, and a TypeScript
/// client generated from it (openapi-typescript and tsc, pinned in package-lock.json).</summary>
public sealed class ClientContractTests
{
    private static readonly Dictionary<string, string?> OmnichatNowhere = new()
    {
        // Configured, so a broadcast is accepted; scheduled in 2030, so nothing is ever sent to it.
        ["Vendors:Omnichat:BaseUrl"] = "http://127.0.0.1:9",
        ["Vendors:Omnichat:ApiKey"] = "contract-omnichat-key",
        ["Vendors:Omnichat:DeviceKey"] = "contract-device-key",
    };

    private static async Task<JsonObject> DocumentAsync(TestApp app) =>
        JsonNode.Parse(await app.Client.GetStringAsync("api/openapi/v1.json"))!.AsObject();

    [Fact]
    public async Task The_readme_examples_and_the_apps_real_answers_match_the_document()
    {
        await using var app = await TestApp.StartAsync(OmnichatNowhere);
        var check = new SchemaCheck(await DocumentAsync(app));

        var examples = ReadmeExamples.All();
        Assert.True(examples.Count >= 5, $"found {examples.Count} README examples");
        Assert.All(examples, e => Assert.Empty(check.Errors(e.Body, ReadmeExamples.BodySchema(e.Path)!).Select(x => $"{e.Source}: {x}")));

        async Task<JsonNode?> Answer(HttpResponseMessage response, HttpStatusCode expected, string schema)
        {
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());
            Assert.True(expected == response.StatusCode, $"{(int)response.StatusCode}: {body}");
            Assert.Empty(check.Errors(body, schema));
            return body;
        }

        var promo = examples.First(e => e.Path == "/api/broadcasts" && (string?)e.Body["provider"] == "omnichat" && e.Body["started_at"] is not null);
        var accepted = await Answer(await app.Client.PostAsJsonAsync("api/broadcasts", promo.Body), HttpStatusCode.Accepted, "BroadcastAccepted");
        var id = (string)accepted!["id"]!;
        await Answer(await app.Client.GetAsync($"api/broadcasts/{id}"), HttpStatusCode.OK, "BroadcastState");
        await Answer(await app.Client.GetAsync($"api/broadcasts/{id}/recipients"), HttpStatusCode.OK, "RecipientList");
        await Answer(await app.Client.GetAsync("api/broadcasts"), HttpStatusCode.OK, "BroadcastList");
        await Answer(await app.Client.PostAsync($"api/broadcasts/{id}/cancel", null), HttpStatusCode.Accepted, "BroadcastState");
        await Answer(await app.Client.PostAsJsonAsync("api/suppressions", new { phone_number = "081290649999", reason = "asked" }), HttpStatusCode.Created, "SuppressionResponse");
        await Answer(await app.Client.GetAsync("api/suppressions"), HttpStatusCode.OK, "SuppressionList");
        await Answer(await app.Client.GetAsync("api/health"), HttpStatusCode.OK, "HealthResponse");
        await Answer(await app.Client.PostAsJsonAsync("api/messages", new { provider = "omnichat", to = "12" }), HttpStatusCode.BadRequest, "Problem");
        // A message not finished within `wait` is a 202 of the same schema as the 200 of a finished one.
        await Answer(await app.Client.PostAsJsonAsync("api/messages?wait=0", new { provider = "omnichat", to = "081290641111", text = "later", started_at = "2030-01-01T09:00:00Z" }),
            HttpStatusCode.Accepted, "MessageState");
        await Answer(await app.Client.PostAsJsonAsync("api/messages", new { provider = "qiscus", to = "081290641111", template = new { id = 172 } }),
            HttpStatusCode.UnprocessableEntity, "Problem");
        await Answer(await app.Client.GetAsync("api/broadcasts/nope"), HttpStatusCode.NotFound, "Problem");

        using var csv = new StringContent("phone,name\n081290641111,Budi\n", Encoding.UTF8, "text/csv");
        await Answer(await app.Client.PostAsync("api/uploads", csv), HttpStatusCode.Created, "UploadResponse");
    }

    [Fact]
    public async Task A_typescript_client_generated_from_the_document_compiles_against_the_readme_examples()
    {
        var node = Path.Combine(RepoPaths.Root, "node_modules");
        var generator = Path.Combine(node, "openapi-typescript", "bin", "cli.js");
        var tsc = Path.Combine(node, "typescript", "bin", "tsc");
        Assert.True(File.Exists(generator) && File.Exists(tsc), "npm ci installs openapi-typescript and typescript (package-lock.json)");

        await using var app = await TestApp.StartAsync();
        var dir = Directory.CreateTempSubdirectory("contract-ts-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir, "openapi.json"), await app.Client.GetStringAsync("api/openapi/v1.json"));
            await RunNodeAsync(dir, generator, "openapi.json", "-o", "api.ts");

            var ts = new StringBuilder("import type { components, operations } from \"./api\";\ntype S = components[\"schemas\"];\n");
            var examples = ReadmeExamples.All();
            for (var i = 0; i < examples.Count; i++)
                ts.Append($"// {examples[i].Source}\nexport const example{i}: S[\"{ReadmeExamples.BodySchema(examples[i].Path)}\"] = {examples[i].Body.ToJsonString()};\n");
            // What a client reads: counters are numbers, statuses and providers closed sets, the export text.
            ts.Append("""
                export function progress(b: S["BroadcastState"]): number { return b.total_sent + b.total_failed + b.total_queued; }
                export function finished(b: S["BroadcastState"]): boolean { return b.status === "completed" || b.status === "canceled" || b.status === "failed"; }
                export function provider(b: S["BroadcastState"]): "qiscus" | "khoros" | "omnichat" { return b.provider; }
                export function delivered(r: S["RecipientState"]): boolean { return r.status === "delivered" || r.status === "read"; }
                export type Export = operations["RecipientsCsv"]["responses"][200]["content"]["text/csv"];
                export const csv: Export = "row,phone_number\r\n";
                export type UploadForm = NonNullable<operations["CreateUpload"]["requestBody"]>["content"]["multipart/form-data"];
                export const problemField = (p: S["Problem"]): string | undefined => p.field;

                """);
            await File.WriteAllTextAsync(Path.Combine(dir, "examples.ts"), ts.ToString());
            await RunNodeAsync(dir, tsc, "--noEmit", "--strict", "--target", "es2022", "--module", "esnext", "--moduleResolution", "bundler", "examples.ts");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static Task RunNodeAsync(string dir, params string[] args) => ChildProcess.RunAsync("node", dir, args, TimeSpan.FromSeconds(120));
}
