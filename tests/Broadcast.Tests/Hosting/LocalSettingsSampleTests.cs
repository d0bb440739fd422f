using System.Reflection;
using System.Text.Json;
using Broadcast.Core.Messaging;
using Broadcast.Functions;
using Broadcast.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Broadcast.Tests.Hosting;

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
        "AzureWebJobsStorage", "Storage__ConnectionString", "Storage__NamePrefix",
        .. Providers.Names.Select(p => $"Callbacks__{p}__Secret"), "Callbacks__OptOutKeywords",
        "Drops__Container", "Drops__PollInterval", "Drops__SidecarGrace",
    ];

    /// <summary>Every key of every options class of ours the app binds to a configuration section (Configure&lt;T&gt;(section)).</summary>
    private static IEnumerable<string> BoundSettings()
    {
        IServiceCollection? services = null;
        BroadcastApp.Build([], new Dictionary<string, string?>(), b => services = b.Services);
        foreach (var descriptor in services!.Where(d => d.ServiceType.IsGenericType && d.ServiceType.GetGenericTypeDefinition() == typeof(IOptionsChangeTokenSource<>)))
        {
            if (descriptor.ImplementationInstance is not { } source || source.GetType().GetGenericTypeDefinition() != typeof(ConfigurationChangeTokenSource<>)) continue;
            var options = descriptor.ServiceType.GetGenericArguments()[0];
            if (options.Namespace?.StartsWith("Broadcast.") != true) continue; // the framework's own (logging, hosting)
            var section = (IConfigurationSection)source.GetType().GetField("_config", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(source)!;
            foreach (var property in options.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod?.IsPublic == true && IsSetting(p.PropertyType)))
                yield return $"{section.Path.Replace(":", "__")}__{property.Name}";
        }
    }

    private static bool IsSetting(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(TimeSpan) || type == typeof(decimal);
    }

    [Fact]
    public void The_sample_follows_the_functions_conventions_for_a_custom_handler()
    {
        var values = SampleValues(out var root);
        Assert.False(root.GetProperty("IsEncrypted").GetBoolean());
        Assert.Equal("custom", values["FUNCTIONS_WORKER_RUNTIME"]);
        Assert.Equal("UseDevelopmentStorage=true", values["AzureWebJobsStorage"]);
        // The host sets it; in local.settings.json it would put the standalone app (run.sh) in custom-handler mode.
        Assert.False(values.ContainsKey(FunctionsHost.PortSetting));
    }

    [Fact]
    public void Every_setting_the_app_reads_is_in_the_sample_and_nothing_else()
    {
        var values = SampleValues(out _);
        var bound = BoundSettings().ToList();
        Assert.Contains("Vendors__Qiscus__SecretKey", bound);
        Assert.Contains("Workflow__MaxDequeueCount", bound);
        Assert.Contains("Vendors__Khoros__AudienceBatchSize", bound);

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
