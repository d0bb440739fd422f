using Broadcast.Core.Campaigns;

namespace Broadcast.Functions.Apis;

/// <summary>A broadcast's delivery window as it answers it.</summary>
public sealed record WindowView(string From, string To, IReadOnlyList<string> Days)
{
    public static WindowView? Of(DeliveryWindow? w) => w is null ? null
        : new(w.From.ToString(w.From.Second == 0 ? "HH':'mm" : "HH':'mm':'ss"), w.To.ToString(w.To.Second == 0 ? "HH':'mm" : "HH':'mm':'ss"),
            DeliveryWindow.DayNames.Where(d => w.Days.Contains(d.Value)).Select(d => d.Key).ToList());
}
