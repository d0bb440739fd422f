using Broadcast.Functions.Hosting;
using System.Reflection;
using System.Text.Json;
using Broadcast.Functions;
using Broadcast.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Broadcast.Tests.Contract.Hosting;

/// <summary>local.settings.sample.json: the Functions conventions, and every setting the app reads with a safe value.</summary>
public sealed class LocalSettingsSampleTests
{
    private static Dictionary<string, string> SampleValues(out JsonElement root)
    {
        root = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "local.settings.sample.json"))).RootElement.Clone();
        return root.GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Settings read directly rather than through a bound options class.</summary>
    private static IEnumerable<string> ReadDirectly() =>
    [
        "AzureWebJobsStorage", "Storage__ConnectionString", "Storage__NamePrefix", "Workflow__RunListeners",
    ];

    /// <summary>Every setting the app's options classes read, however they are registered. The app is built with a
    /// configuration source that records what is asked of it; each options class of ours is then resolved: a section
    /// bound to it (its children enumerated) stands for every settable property of the class, and a key read on its
    /// own stands for itself.</summary>
    private static IEnumerable<string> BoundSettings()
    {
        var reads = new RecordedReads();
        IServiceCollection? services = null;
        var app = BroadcastApp.Build([], new Dictionary<string, string?>(), b =>
        {
            services = b.Services;
            ((IConfigurationBuilder)b.Configuration).Add(reads);
        });
        var optionsTypes = services!
            .Where(d => d.ServiceType.IsGenericType && d.ServiceType.GetGenericTypeDefinition() == typeof(IConfigureOptions<>))
            .Select(d => d.ServiceType.GetGenericArguments()[0])
            .Where(t => t.Namespace?.StartsWith("Broadcast.") == true) // not the framework's own (logging, hosting)
            .Distinct();
        var keys = new List<string>();
        foreach (var options in optionsTypes)
        {
            reads.Clear();
            var accessor = app.Services.GetRequiredService(typeof(IOptions<>).MakeGenericType(options));
            _ = accessor.GetType().GetProperty(nameof(IOptions<object>.Value))!.GetValue(accessor);
            var properties = options.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.SetMethod?.IsPublic == true && IsSetting(p.PropertyType)).ToList();
            keys.AddRange(reads.Sections.SelectMany(section => properties.Select(p => $"{section}:{p.Name}")));
            keys.AddRange(reads.Keys.Where(k => !reads.Sections.Contains(k)));
        }
        return keys.Select(k => k.Replace(":", "__")).Distinct(StringComparer.OrdinalIgnoreCase);
    }

    private static bool IsSetting(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(TimeSpan) || type == typeof(decimal);
    }

    private sealed class RecordedReads : ConfigurationProvider, IConfigurationSource
    {
        public HashSet<string> Keys { get; } = new(StringComparer.OrdinalIgnoreCase);
        public HashSet<string> Sections { get; } = new(StringComparer.OrdinalIgnoreCase);

        public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

        public void Clear()
        {
            Keys.Clear();
            Sections.Clear();
        }

        public override bool TryGet(string key, out string? value)
        {
            Keys.Add(key);
            value = null;
            return false;
        }

        public override IEnumerable<string> GetChildKeys(IEnumerable<string> earlierKeys, string? parentPath)
        {
            if (parentPath is not null) Sections.Add(parentPath);
            return earlierKeys;
        }
    }

    [Fact]
    public void The_sample_has_what_func_start_needs_for_an_isolated_worker_on_Azurite()
    {
        var values = SampleValues(out var root);
        Assert.False(root.GetProperty("IsEncrypted").GetBoolean());
        Assert.Equal("dotnet-isolated", values["FUNCTIONS_WORKER_RUNTIME"]);
        Assert.Equal("UseDevelopmentStorage=true", values["AzureWebJobsStorage"]);
        // The host passes it; in local.settings.json it would put the standalone app (run.sh) in the worker form.
        Assert.False(values.ContainsKey("Functions__Worker__HostEndpoint"));
        // Under the host the task hub and the blob trigger know no prefix (WorkerApp refuses one).
        Assert.Equal("", values["Storage__NamePrefix"]);
    }

    [Fact]
    public void Every_setting_the_app_reads_is_in_the_sample_and_nothing_else()
    {
        var values = SampleValues(out _);
        var bound = BoundSettings().ToList();
        Assert.Contains("Vendors__Qiscus__SecretKey", bound);
        Assert.Contains("Workflow__MaxDequeueCount", bound);
        Assert.Contains("Vendors__Khoros__AudienceBatchSize", bound);
        Assert.Contains("Drops__SidecarGrace", bound);

        var read = bound.Concat(ReadDirectly()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.Empty(read.Where(k => !values.ContainsKey(k)).Order());
        var conventions = new[] { "FUNCTIONS_WORKER_RUNTIME", "ASPNETCORE_ENVIRONMENT" };
        Assert.Empty(values.Keys.Where(k => !read.Contains(k) && !conventions.Contains(k)).Order());
    }

    [Fact]
    public void Secrets_in_the_sample_are_placeholders()
    {
        var secrets = SampleValues(out _).Where(v => v.Key.EndsWith("Keys") || v.Key.EndsWith("Key") || v.Key.EndsWith("Secret")
            || v.Key.EndsWith("AppId") || v.Key.EndsWith("ConnectionString")).ToList();
        Assert.NotEmpty(secrets);
        Assert.All(secrets, s => Assert.True(s.Value == "" || (s.Value.StartsWith('<') && s.Value.EndsWith('>')), $"{s.Key} is not a placeholder"));
    }
}
