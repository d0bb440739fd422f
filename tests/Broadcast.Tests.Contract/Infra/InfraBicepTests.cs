using System.Text.Json;
using System.Text.RegularExpressions;
using Broadcast.Core.Storage;
using Broadcast.Tests.Infrastructure;

namespace Broadcast.Tests.Contract.Infra;

/// <summary>infra/main.bicep: the Bicep CLI (restored from NuGet) builds and lints it without an error or a warning,
/// the storage it declares is the storage the app uses, the app runs as a custom handler, storage is reached by
/// identity with no key anywhere, and the Key Vault holds only the vendors' and the app's own secrets.</summary>
public sealed class InfraBicepTests
{
    private static readonly string BicepFile = Path.Combine(RepoPaths.Root, "infra", "main.bicep");
    private static readonly string Bicep = File.ReadAllText(BicepFile);

    // The built-in role definitions (stable ids, the same in every tenant).
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string StorageAccountContributor = "17d1049b-9a84-46fb-8f53-869881c3d3ab";

    private static IReadOnlyList<string> ArrayVar(string name)
    {
        var match = Regex.Match(Bicep, $@"var {name} = \[(?<items>[^\]]*)\]");
        Assert.True(match.Success, $"var {name} not found");
        return Regex.Matches(match.Groups["items"].Value, @"'([^']+)'|([\w.]+)").Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value).ToList();
    }

    private static string Resolve(string item) =>
        Regex.Match(Bicep, $@"var {item} = '([^']+)'") is { Success: true } m ? m.Groups[1].Value : item;

    private static async Task<string> BuildAsync()
    {
        var output = Path.Combine(Path.GetTempPath(), $"main-{Guid.NewGuid():N}.json");
        try
        {
            var build = await BicepCli.RunAsync("build", BicepFile, "--outfile", output);
            Assert.True(build.ExitCode == 0 && build.Diagnostics.Count == 0, $"bicep build: exit {build.ExitCode}\n{build.Output}");
            return await File.ReadAllTextAsync(output);
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Fact]
    public async Task Bicep_builds_and_lints_the_template_without_an_error_or_a_warning()
    {
        var template = JsonDocument.Parse(await BuildAsync()).RootElement;
        Assert.Contains(template.GetProperty("resources").EnumerateArray(), r => r.GetProperty("type").GetString() == "Microsoft.Web/sites");

        var lint = await BicepCli.RunAsync("lint", BicepFile);
        Assert.True(lint.ExitCode == 0 && lint.Diagnostics.Count == 0, $"bicep lint: exit {lint.ExitCode}\n{lint.Output}");
    }

    [Fact]
    public void The_storage_account_declares_every_container_and_table_the_app_uses()
    {
        var names = new StorageNames(); // the task hub's own queues, tables and containers the engine creates
        var containers = ArrayVar("containerNames").Select(Resolve).ToList();
        Assert.Superset(names.AllContainers.Append(names.DropsContainer(new Functions.Drops.DropOptions().Container)).ToHashSet(), containers.ToHashSet());
        Assert.Equal(names.AllTables.Order(), ArrayVar("tableNames").Order());
    }

    [Fact]
    public void The_function_app_is_a_linux_custom_handler_on_elastic_premium_running_from_its_package()
    {
        Assert.Contains("{ name: 'FUNCTIONS_WORKER_RUNTIME', value: 'custom' }", Bicep);
        Assert.Contains("kind: 'functionapp,linux'", Bicep);
        Assert.Contains("tier: 'ElasticPremium'", Bicep);
        Assert.Contains("{ name: 'WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID', value: identity.id }", Bicep);
    }

    [Fact]
    public async Task Storage_is_reached_by_identity_with_no_key_anywhere()
    {
        // The settings the Functions host and the app both read (issue 9's names), for the user-assigned identity.
        foreach (var (setting, value) in new[]
                 {
                     ("AzureWebJobsStorage__blobServiceUri", "storage.properties.primaryEndpoints.blob"),
                     ("AzureWebJobsStorage__queueServiceUri", "storage.properties.primaryEndpoints.queue"),
                     ("AzureWebJobsStorage__tableServiceUri", "storage.properties.primaryEndpoints.table"),
                     ("AzureWebJobsStorage__credential", "'managedidentity'"),
                     ("AzureWebJobsStorage__clientId", "identity.properties.clientId"),
                 })
            Assert.Contains($"{{ name: '{setting}', value: {value} }}", Bicep);

        var template = await BuildAsync();
        var storage = JsonDocument.Parse(template).RootElement.GetProperty("resources").EnumerateArray()
            .Single(r => r.GetProperty("type").GetString() == "Microsoft.Storage/storageAccounts");
        Assert.False(storage.GetProperty("properties").GetProperty("allowSharedKeyAccess").GetBoolean());

        // No key is read, stored or handed to anything: no connection string setting, no Azure Files content share.
        foreach (var banned in new[] { "listKeys", "AccountKey", "Storage__ConnectionString", "'AzureWebJobsStorage'",
                     "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", "WEBSITE_CONTENTSHARE" })
            Assert.DoesNotContain(banned, template, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_identity_holds_the_storage_roles_the_host_and_the_app_need()
    {
        var roleIds = ArrayVar("storageRoleIds")
            .Select(r => Regex.Match(Bicep, $@"\b{Regex.Escape(r.Split('.')[1])}: '([0-9a-f-]+)'").Groups[1].Value)
            .ToHashSet();
        Assert.Equal(new HashSet<string> { StorageBlobDataOwner, StorageQueueDataContributor, StorageTableDataContributor, StorageAccountContributor }, roleIds);
        Assert.Contains("for role in storageRoleIds:", Bicep);
        Assert.Contains("principalId: identity.properties.principalId", Bicep);
    }

    [Fact]
    public void The_key_vault_holds_only_the_vendors_and_the_apps_own_secrets_each_a_key_vault_reference()
    {
        var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "local.settings.sample.json"))).RootElement.GetProperty("Values");
        var secrets = sample.EnumerateObject().Select(p => p.Name)
            .Where(n => n.EndsWith("Keys") || n.EndsWith("Key") || n.EndsWith("Secret")).ToList();
        Assert.Contains("Vendors__Omnichat__DeviceKey", secrets);

        var inVault = Regex.Matches(Bicep, @"\{ setting: '([^']+)', value: ").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(secrets.Order(), inVault.Order());
        Assert.All(secrets, s => Assert.DoesNotContain($"{{ name: '{s}'", Bicep));
        Assert.Contains("@Microsoft.KeyVault(VaultName=${vault.name};SecretName=", Bicep);
        Assert.Single(Regex.Matches(Bicep, @"resource \w+ 'Microsoft\.KeyVault/vaults/secrets@"));
    }
}
