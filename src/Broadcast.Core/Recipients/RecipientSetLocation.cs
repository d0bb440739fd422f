using Broadcast.Core.Messaging;

namespace Broadcast.Core.Recipients;

/// <summary>Where a validated list of recipients lives: one NDJSON blob, written once, read a page at a time by
/// byte range through a small index blob, so a broadcast never parses the CSV again and never loads the list whole.
/// A list of at most one page that is small enough travels <see cref="Inline"/> instead, inside the broadcast's
/// row: a single message then costs no blob writes at all.</summary>
public sealed record RecipientSetLocation(string Container, string Prefix)
{
    /// <summary>Inline lists stay this small so that the broadcast row stays far below a table property's 32,768
    /// characters whatever the message content (itself limited to a few thousand).</summary>
    public const int MaxInlineLength = 4_000;

    public string DataBlob => $"{Prefix}/recipients.ndjson";
    public string IndexBlob => $"{Prefix}/recipients.index";

    /// <summary>The whole list as NDJSON (<see cref="RecipientCodec"/>), when it is not in blobs.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Inline { get; init; }

    /// <summary>The recipients as an inline list, or null when they need the blobs (more than a page, or too long).</summary>
    public static RecipientSetLocation? TryInline(string container, string prefix, IReadOnlyList<Recipient> recipients)
    {
        if (recipients.Count > RecipientSetIndex.DefaultPageSize) return null;
        using var buffer = new MemoryStream();
        foreach (var r in recipients) RecipientCodec.Write(buffer, r);
        if (buffer.Length > MaxInlineLength * 2) return null; // cheap bound before decoding
        var text = System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        return text.Length > MaxInlineLength ? null : new RecipientSetLocation(container, prefix) { Inline = text };
    }
}
