using System.Net;
using System.Text;
using Broadcast.Core.Storage;
using Broadcast.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.DurableTask.Client;

namespace Broadcast.Tests.Integration.Messages;

public sealed class BadInputTests(StackFixture fixture) : IClassFixture<StackFixture>
{
    private Stack Stack => fixture.Stack;

    public static TheoryData<string, string> Cases => new()
    {
        { "{\"provider\": \"omnichat\", \"to\": ", "" },
        { "{\"provider\": \"whatsapp\", \"to\": \"6281290641111\", \"text\": \"hi\"}", "provider" },
        { "{\"to\": \"6281290641111\", \"text\": \"hi\"}", "provider" },
        { "{\"provider\": \"qiscus\", \"to\": \"6281290641111\", \"text\": \"hi\"}", "text" },
        { "{\"provider\": \"qiscus\", \"to\": \"6281290641111\", \"template\": {\"name\": \"t\", \"namespace\": \"n\", \"language\": \"id\"}}", "template.id" },
        { "{\"provider\": \"omnichat\", \"to\": \"6281290641111\", \"template\": {\"variables\": {\"{name}\": \"x\"}}}", "template.id" },
        { "{\"provider\": \"omnichat\", \"to\": \"08x\", \"text\": \"hi\"}", "to" },
        { "{\"provider\": \"khoros\", \"text\": \"hi\"}", "to" },
        { "{\"provider\": \"omnichat\", \"to\": \"6281290641111\", \"text\": \"hi\", \"started_at\": \"next tuesday\"}", "started_at" },
        { "{\"provider\": \"omnichat\", \"to\": \"6281290641111\", \"text\": \"hi\", \"started_at\": \"01/12/2026 09:00\"}", "started_at" },
        { "{\"provider\": \"khoros\", \"to\": \"6281290641111\", \"template\": {\"id\": \"1\"}}", "template" },
        { "{\"provider\": \"omnichat\", \"to\": \"6281290641111\", \"event\": \"x\"}", "event" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_answers_400_problem_naming_the_field_and_queues_nothing(string body, string field)
    {
        var before = await Queued();
        var response = await Stack.App.Client.PostAsync("api/messages", new StringContent(body, Encoding.UTF8, "application/json"));
        var problem = await response.JsonAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(string.IsNullOrEmpty(problem.Str("detail")));
        if (field.Length > 0) Assert.Equal(field, problem.Str("field"));
        Assert.Equal(before, await Queued());
    }

    [Fact]
    public async Task A_vendor_that_is_not_configured_gets_a_clear_4xx_and_the_app_keeps_running()
    {
        await using var app = await TestApp.StartAsync(); // no vendor settings at all
        var response = await app.PostJsonAsync("api/messages", new { provider = "khoros", to = "+12345678901", text = "hi" });
        var problem = await response.JsonAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("provider", problem.Str("field"));
        Assert.Contains("Vendors__Khoros__ApiKey", problem.Str("detail"));
        Assert.Equal(HttpStatusCode.OK, (await app.Client.GetAsync("api/health")).StatusCode);
    }

    /// <summary>Orchestrations in the task hub and broadcasts listed: what a refused request must not add to.</summary>
    private async Task<(int Orchestrations, int Broadcasts)> Queued()
    {
        var list = await Stack.App.GetJsonAsync("api/broadcasts?limit=100");
        var orchestrations = 0;
        await foreach (var _ in Stack.App.Services.GetRequiredService<DurableTaskClient>().GetAllInstancesAsync()) orchestrations++;
        return (orchestrations, list.GetProperty("items").GetArrayLength());
    }
}
