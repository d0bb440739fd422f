namespace Broadcast.Core.Callbacks;

/// <summary>Settings section <c>Callbacks</c>: <c>Callbacks__{Provider}__Secret</c> and the opt-out keywords.</summary>
public sealed class CallbackOptions
{
    public Dictionary<string, ProviderCallback> Providers { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    public string OptOutKeywords { get; set; } = "STOP,BERHENTI,UNSUBSCRIBE";

    public sealed class ProviderCallback
    {
        public string? Secret { get; set; }
    }

    public IReadOnlyList<string> Keywords => OptOutKeywords.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
