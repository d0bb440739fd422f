namespace Broadcast.Core.Storage;

/// <summary>Every table and container name the product uses. A prefix lets several environments
/// (or test runs) share one storage account; it is empty by default.</summary>
public sealed class StorageNames(string prefix = "")
{
    public string Prefix { get; } = prefix.ToLowerInvariant();

    // Containers.
    public string UploadsContainer => Q("uploads");
    public string BroadcastsContainer => Q("broadcasts");
    public string DropsContainer(string configured) => Q(configured);

    // Tables.
    public string BroadcastsTable => T("Broadcasts");
    public string BatchesTable => T("Batches");
    public string UploadsTable => T("Uploads");
    public string IdempotencyTable => T("Idempotency");
    public string SuppressionsTable => T("Suppressions");
    public string MessageIndexTable => T("MessageIndex");
    public string ReceiptsTable => T("Receipts");
    public string DropReceiptsTable => T("DropReceipts");
    public string ChannelLeasesTable => T("ChannelLeases");
    public string RecipientPacingTable => T("RecipientPacing");
    public string TemplatesTable => T("Templates");

    public string Q(string name) => Prefix.Length == 0 ? name : $"{Prefix}-{name}";
    public string T(string name) => Prefix.Length == 0 ? name : $"{Prefix}{name}";

    public IEnumerable<string> AllContainers => [UploadsContainer, BroadcastsContainer];
    public IEnumerable<string> AllTables => [BroadcastsTable, BatchesTable, UploadsTable, IdempotencyTable, SuppressionsTable, MessageIndexTable, ReceiptsTable, DropReceiptsTable, ChannelLeasesTable, RecipientPacingTable, TemplatesTable];
}
