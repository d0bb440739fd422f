using System.Text.Json;
using System.Text.RegularExpressions;
using Broadcast.Core.Storage;
using Broadcast.Tests.Infrastructure;

namespace Broadcast.Tests.Hosting;

/// <summary>infra/main.bicep against the app, as text (no Bicep compiler here): the storage it declares is the
/// storage the app uses, the app runs as a custom handler, and every secret setting is a Key Vault reference.</summary>
public sealed class InfraBicepTests
{
    private static readonly string Bicep = File.ReadAllText(Path.Combine(RepoPaths.Root, "infra", "main.bicep"));

    private static IReadOnlyList<string> ArrayVar(string name)
    {
        var match = Regex.Match(Bicep, $@"var {name} = \[(?<items>[^\]]*)\]");
        Assert.True(match.Success, $"var {name} not found");
        return Regex.Matches(match.Groups["items"].Value, @"'([^']+)'|(\w+)").Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value).ToList();
    }

    private static string Resolve(string item) =>
        Regex.Match(Bicep, $@"var {item} = '([^']+)'") is { Success: true } m ? m.Groups[1].Value : item;

    [Fact]
    public void The_storage_account_declares_every_queue_container_and_table_the_app_uses()
    {
        var names = new StorageNames();
        Assert.Equal(names.AllQueues.Order(), ArrayVar("queueNames").Order());
        var containers = ArrayVar("containerNames").Select(Resolve).ToList();
        Assert.Superset(names.AllContainers.Append(names.DropsContainer(new Functions.Drops.DropOptions().Container)).ToHashSet(), containers.ToHashSet());
        Assert.Equal(names.AllTables.Order(), ArrayVar("tableNames").Order());
    }

    [Fact]
    public void The_function_app_is_a_linux_custom_handler_on_elastic_premium()
    {
        Assert.Contains("{ name: 'FUNCTIONS_WORKER_RUNTIME', value: 'custom' }", Bicep);
        Assert.Contains("kind: 'functionapp,linux'", Bicep);
        Assert.Contains("tier: 'ElasticPremium'", Bicep);
        Assert.Contains("{ name: 'AzureWebJobsStorage__accountName', value: storage.name }", Bicep);
        Assert.DoesNotContain("WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", Bicep);
    }

    [Fact]
    public void Every_secret_setting_is_a_key_vault_reference_and_never_a_plain_setting()
    {
        var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "local.settings.sample.json"))).RootElement.GetProperty("Values");
        var secrets = sample.EnumerateObject().Select(p => p.Name)
            .Where(n => n.EndsWith("Keys") || n.EndsWith("Key") || n.EndsWith("Secret") || n == "Storage__ConnectionString").ToList();
        Assert.Contains("Vendors__Omnichat__DeviceKey", secrets);

        Assert.All(secrets, s =>
        {
            Assert.True(Bicep.Contains($"{{ setting: '{s}', value: ") || Bicep.Contains($"['{s}']"), $"{s} is not a Key Vault secret");
            Assert.DoesNotContain($"{{ name: '{s}'", Bicep);
        });
        Assert.Contains("@Microsoft.KeyVault(VaultName=${vault.name};SecretName=", Bicep);
    }
}
