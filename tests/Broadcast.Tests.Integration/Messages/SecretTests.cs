using Broadcast.Sandbox;
using Broadcast.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Broadcast.Tests.Integration.Messages;

public sealed class SecretTests
{
    [Fact]
    public async Task Vendor_keys_and_the_storage_key_never_reach_logs_or_responses()
    {
        var logs = new CapturedLogs();
        await using var stack = await Stack.StartAsync(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Trace" },
            configure: b => b.Logging.AddProvider(logs));
        stack.Sandbox.State.Configure("omnichat", new VendorBehavior { FailNext = 1, FailStatus = 500 });
        stack.Sandbox.State.Configure("khoros", new VendorBehavior { FailPhones = new() { ["+12345678901"] = 401 } });

        var answers = new List<string>
        {
            (await stack.App.SendAndWaitAsync(new { provider = "omnichat", to = "6281290641111", text = "hi" })).ToString(),
            (await stack.App.SendAndWaitAsync(new { provider = "khoros", to = "+12345678901", text = "hi" })).ToString(),
            (await stack.App.SendAndWaitAsync(new { provider = "qiscus", to = "6281290641111",
                template = new { name = "t", id = "1", @namespace = "n", language = "id", variables = new[] { "x" } } })).ToString(),
            (await stack.App.GetJsonAsync("api/health")).ToString(),
            (await stack.App.GetJsonAsync("api/broadcasts")).ToString(),
        };

        var everything = string.Join("\n", logs.Lines.Concat(answers));
        Assert.NotEmpty(logs.Lines);
        foreach (var secret in new[] { "sandbox-qiscus-secret", "sandbox-khoros-key", "sandbox-omnichat-key", Azurite.AccountKey })
            Assert.DoesNotContain(secret, everything);
    }
}
