using Broadcast.Functions.Hosting;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Broadcast.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Broadcast.Tests.Infrastructure.Hosting;

/// <summary>How the Functions host delivers a queue message's text in <c>Data</c>: as the docs show it, as its
/// Json.NET serialisation of the string (quoted again), or as the JSON object it parsed.</summary>

/// <summary>Plays the Functions host against an app started in custom-handler mode: takes real messages off the
/// app's queues in Azurite, posts the invocation payloads the host posts (<c>POST /{FunctionName}</c> with
/// <c>Data</c> and <c>Metadata</c>, its headers, no API key) and, like the host, deletes a message only when the
/// invocation succeeded.</summary>
public sealed class FunctionsHostDriver : IDisposable
{
    public const string HostVersion = "4.1040.300.0";

    private readonly HttpClient _invoker;

    public FunctionsHostDriver(TestApp app)
    {
        Storage = app.Services.GetRequiredService<IStorage>();
        Names = app.Services.GetRequiredService<StorageNames>();
        _invoker = new HttpClient { BaseAddress = app.BaseUrl, Timeout = TimeSpan.FromSeconds(100) };
        _invoker.DefaultRequestHeaders.UserAgent.ParseAdd($"Azure-Functions-Host/{HostVersion}");
        _invoker.DefaultRequestHeaders.Add("X-Azure-Functions-HostVersion", HostVersion);
    }

    public IStorage Storage { get; }
    public StorageNames Names { get; }

    /// <summary>Settings that put an app in custom-handler mode, as the host starts it.</summary>
    public static Dictionary<string, string?> HostMode() => new() { [FunctionsHost.PortSetting] = Ports.Free().ToString() };

    public async Task<Invocation> InvokeAsync(string function, object payload)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, function) { Content = JsonContent.Create(payload) };
        request.Headers.Add("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());
        using var response = await _invoker.SendAsync(request);
        return new Invocation(response.StatusCode, await response.JsonAsync());
    }

    /// <summary>The blob trigger's payload: the content (base64, dataType binary) and the blob's metadata.</summary>
    public static object BlobPayload(byte[] content, string? name, Uri uri)
    {
        var metadata = new Dictionary<string, object>
        {
            ["Uri"] = JsonSerializer.Serialize(uri.ToString()),
            ["Properties"] = new Dictionary<string, object> { ["Length"] = content.Length, ["ContentType"] = "text/csv" },
            ["Metadata"] = new Dictionary<string, object>(),
            ["sys"] = new Dictionary<string, object> { ["MethodName"] = "BlobTrigger", ["UtcNow"] = DateTimeOffset.UtcNow, ["RandGuid"] = Guid.NewGuid() },
        };
        if (name is not null) metadata["name"] = JsonSerializer.Serialize(name);
        return new Dictionary<string, object>
        {
            ["Data"] = new Dictionary<string, object> { [FunctionsHost.DropBinding] = Convert.ToBase64String(content) },
            ["Metadata"] = metadata,
        };
    }

    public void Dispose() => _invoker.Dispose();
}

/// <summary>The custom handler's answer, checked for the shape the host reads.</summary>
public sealed record Invocation(HttpStatusCode Status, JsonElement Body)
{
    public bool Succeeded => (int)Status is >= 200 and < 300;

    public IReadOnlyList<string> Logs => Body.GetProperty("Logs").EnumerateArray().Select(l => l.GetString()!).ToList();

    public Invocation AssertShape()
    {
        Assert.Equal(JsonValueKind.Object, Body.GetProperty("Outputs").ValueKind);
        Assert.Equal(JsonValueKind.Array, Body.GetProperty("Logs").ValueKind);
        Assert.Equal(JsonValueKind.Null, Body.GetProperty("ReturnValue").ValueKind);
        return this;
    }

    public override string ToString() => $"{(int)Status} {Body}";
}
