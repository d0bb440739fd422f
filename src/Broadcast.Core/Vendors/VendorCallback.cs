using System.Text.Json;
using Broadcast.Core.Callbacks;
using Broadcast.Core.Messaging;
using Broadcast.Core.Workflow;

namespace Broadcast.Core.Vendors;

/// <summary>What a vendor's callback body says: a receipt, a customer's reply, or nothing for us (both null).</summary>
public sealed record VendorCallback(StatusCallback? Status, InboundReply? Reply)
{
    public static readonly VendorCallback Ignored = new(null, null);

    /// <summary>The shapes every provider may send: a status ({"provider_message_id" | "phone_number", "status":
    /// "delivered" | "read" | "failed", "timestamp"}) or a reply ({"phone_number" | "phone", "message"}). Unknown
    /// fields are ignored; a vendor with its own shape reads it first.</summary>
    /// <param name="from">Reads the reply's sender when the vendor names it its own way.</param>
    /// <exception cref="IntakeException">A field has the wrong type or a required one is missing.</exception>
    public static VendorCallback Read(Provider provider, JsonElement body, Func<JsonElement, string?>? from = null)
    {
        var status = Text(body, "status");
        if (status is not null)
        {
            if (status is not (RecipientStatus.Delivered or RecipientStatus.Read or RecipientStatus.Failed))
                throw new IntakeException("status", "status is delivered, read or failed.");
            var messageId = Text(body, "provider_message_id");
            var phone = Text(body, "phone_number");
            if (messageId is null && phone is null) throw new IntakeException("provider_message_id", "Give provider_message_id or phone_number.");
            if (body.TryGetProperty("timestamp", out var ts) && ts.ValueKind is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.Null))
                throw new IntakeException("timestamp", "timestamp is an ISO 8601 string or epoch seconds.");
            return new(new StatusCallback(provider, messageId, phone, status), null);
        }

        var message = Text(body, "message") ?? throw new IntakeException("message", "A reply needs its 'message' (or a status callback its 'status').");
        return new(null, new InboundReply(provider, from?.Invoke(body) ?? Text(body, "phone_number") ?? Text(body, "phone"), message));
    }

    /// <summary>A field as text: strings and numbers; null when absent or null; anything else is refused.</summary>
    public static string? Text(JsonElement body, string name) =>
        body.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            JsonValueKind.Null => null,
            _ => throw new IntakeException(name, $"{name} is a string."),
        } : null;
}
