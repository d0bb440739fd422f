using System.Diagnostics;
using Broadcast.Core.Telemetry;
using OpenTelemetry;

namespace Broadcast.Functions.Telemetry;

/// <summary>Runs before every exporter. On start, a span takes the broadcast id (and vendor and channel) from its
/// in-process parent, so HTTP client spans and any library's spans are found by the broadcast id too. On end, every
/// string attribute and the status description pass through the app's <see cref="SecretRedactor"/> (keys in
/// <c>code</c>/<c>token</c> query values, every configured secret).</summary>
public sealed class BroadcastSpanProcessor(SecretRedactor redactor) : BaseProcessor<Activity>
{
    public override void OnStart(Activity activity)
    {
        if (activity.Parent is not { } parent) return;
        foreach (var name in BroadcastTelemetry.Inherited)
            if (activity.GetTagItem(name) is null && parent.GetTagItem(name) is { } value)
                activity.SetTag(name, value);
    }

    public override void OnEnd(Activity activity)
    {
        if (!activity.Recorded) return; // not exported: nothing to redact
        List<(string Key, string Value)>? changed = null;
        foreach (var (key, value) in activity.TagObjects)
        {
            if (value is not string text) continue;
            var redacted = SecretRedactor.SecretHeaders.Contains(key) ? SecretRedactor.Mask : redactor.Redact(text);
            if (!ReferenceEquals(redacted, text) && redacted != text) (changed ??= []).Add((key, redacted));
        }
        if (changed is not null)
            foreach (var (key, value) in changed) activity.SetTag(key, value);
        if (activity.StatusDescription is { } description && redactor.Redact(description) is var clean && clean != description)
            activity.SetStatus(activity.Status, clean);
    }
}
