using Broadcast.Core.Messaging;
using Broadcast.Core.Workflow;

namespace Broadcast.Functions.Apis;

/// <summary>The body of <c>POST /api/broadcasts</c> as the core's <see cref="NewBroadcast"/>, naming the field of
/// anything wrong: shared by the API and by blob drops, whose request is that body without <c>upload_id</c>.</summary>
internal static class CreateBroadcastMapping
{
    public static NewBroadcast ToNewBroadcast(this CreateBroadcastRequest request, string defaultCountryCode, string defaultTimeZone)
    {
        var provider = RequestMapping.Provider(request.Provider);
        var isGroup = request.IsGroup ?? false;
        if (request.UploadId is not null && request.Recipients is not null)
            throw new IntakeException("recipients", "Give either 'upload_id' or 'recipients', not both.");
        var (recipients, names) = InlineRecipients(request.Recipients, isGroup, defaultCountryCode, provider);
        FieldLimits.Check(request.UploadId, "upload_id", FieldLimits.UploadId);
        var (startedAt, controls) = CampaignMapping.Map(request, defaultTimeZone);
        return new NewBroadcast(RequestMapping.Name(request.Name, "name"), provider, RequestMapping.Content(request.Text, request.Event, request.Template),
            RequestMapping.Channel(request.Channel), isGroup, RequestMapping.Delivery(request.Delivery), request.NativeBulk ?? false,
            startedAt, request.UploadId, recipients, names, SingleMessage: false, Controls: controls);
    }

    private static (IReadOnlyList<Recipient>? Recipients, IReadOnlyList<string> Names) InlineRecipients(
        IReadOnlyList<InlineRecipient?>? inline, bool isGroup, string countryCode, Provider provider)
    {
        if (inline is null) return (null, []);
        if (inline.Count > BroadcastIntake.MaxInlineRecipients)
            throw new IntakeException("recipients", $"At most {BroadcastIntake.MaxInlineRecipients} inline recipients; upload a CSV for more.");
        IReadOnlyList<string>? names = null;
        var list = new List<Recipient>(inline.Count);
        var seen = new HashSet<string>();
        for (var i = 0; i < inline.Count; i++)
        {
            var field = $"recipients[{i}]";
            var recipient = inline[i] ?? throw new IntakeException(field, "A recipient is an object: {\"to\", \"name\", \"variables\"}.");
            var phone = RequestMapping.Phone(recipient.To, isGroup, countryCode, $"{field}.to");
            var name = RequestMapping.Name(recipient.Name, $"{field}.name");
            var (values, keys) = RequestMapping.Variables(recipient.Variables, $"{field}.variables");
            names ??= keys;
            if (keys.Count > 0 && !keys.SequenceEqual(names))
                throw new IntakeException($"{field}.variables", $"Every recipient names the same variables: {string.Join(", ", names)}.");
            if (!seen.Add(phone)) continue; // the same number twice: the first one is kept
            list.Add(new Recipient(i + 1, phone, name, values));
        }
        return (list, names ?? []);
    }
}
