using Broadcast.Core.Messaging;
using Broadcast.Core.Storage;

namespace Broadcast.Core.Callbacks;

public sealed class MessageIndex(ITableStore tables, StorageNames names)
{
    private string Table => names.MessageIndexTable;

    public async Task RecordAsync(Provider provider, IEnumerable<(string Phone, string? ProviderMessageId, MessageLocation Location)> sent, CancellationToken ct)
    {
        var rows = new List<TableRow>();
        foreach (var (phone, messageId, location) in sent)
        {
            rows.Add(Row(PhoneKey(provider, phone), location));
            if (messageId is not null) rows.Add(Row(IdKey(provider, messageId), location));
        }
        await Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct },
            async (row, c) => await tables.ReplaceAsync(Table, row, c));
    }

    public async Task<MessageLocation?> FindAsync(Provider provider, string? providerMessageId, string? phone, CancellationToken ct)
    {
        var row = providerMessageId is not null ? await tables.GetAsync(Table, IdKey(provider, providerMessageId), "", ct) : null;
        if (row is null && phone is not null) row = await tables.GetAsync(Table, PhoneKey(provider, phone), "", ct);
        return row is null ? null : new MessageLocation(row.GetString("BroadcastId")!, row.GetInt("Batch"), row.GetInt("Index"));
    }

    private static TableRow Row(string key, MessageLocation l) =>
        new(key, "") { ["BroadcastId"] = l.BroadcastId, ["Batch"] = l.Batch, ["Index"] = l.Index };

    // Table keys may not hold / \ # ?: vendor ids are escaped.
    private static string IdKey(Provider p, string id) => $"id:{p.Name()}:{Uri.EscapeDataString(id).Replace("%", "~")}";

    private static string PhoneKey(Provider p, string phone) => $"phone:{p.Name()}:{phone}";
}
