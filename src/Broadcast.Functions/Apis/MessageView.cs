using Broadcast.Core.Messaging;
using Broadcast.Core.Workflow;

namespace Broadcast.Functions.Apis;

/// <summary>What a broadcast sends, as it was asked for: the text, event or template and the channel. The channel's
/// device key is a secret and is never shown.</summary>
/// <param name="TemplateName">The registered template it was sent by, when a name was given; the fields above are then
/// its variant for the broadcast's provider.</param>
public sealed record MessageView(string? Text, string? Event, TemplateSpec? Template, ChannelView Channel, bool IsGroup, string? TemplateName)
{
    public static MessageView From(BroadcastDefinition d) => new(d.Content.Text, d.Content.Event, d.Content.Template,
        new ChannelView(d.Channel.ChannelId, d.Channel.ChannelName, d.Channel.ExternalId), d.IsGroup, d.TemplateName);
}
