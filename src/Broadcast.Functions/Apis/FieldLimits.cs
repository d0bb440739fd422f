using Broadcast.Core.Workflow;

namespace Broadcast.Functions.Apis;

/// <summary>The documented limit of every request field, checked before anything is stored (README "Field limits").
/// Each bound keeps a broadcast's definition well inside one table property (64 KiB) and a request's recipients inside
/// <see cref="JsonBodyBytes"/>.</summary>
internal static class FieldLimits
{
    /// <summary>JSON bodies: 1,000 inline recipients with ten 100-character variables each take about 1.5 MB.</summary>
    public const long JsonBodyBytes = 4 * 1024 * 1024;

    public const int Name = 200;            // a broadcast's or a recipient's name
    public const int Text = 4096;           // WhatsApp's longest text message; vendors may allow less (their Validate)
    public const int Event = 200;
    public const int TemplateName = 512;    // WhatsApp template names are at most 512 characters
    public const int TemplateId = 64;       // a number (Qiscus) or a UUID (Omnichat)
    public const int TemplateNamespace = 128;
    public const int TemplateLanguage = 16; // "id", "en_US", "zh_Hant_HK"
    public const int Buttons = 10;          // WhatsApp templates have at most 10 buttons
    public const int ButtonType = 32;
    public const int ButtonValues = 1000;   // the dynamic part of a URL button, or quick-reply payloads
    public const int Variables = 100;
    public const int VariableName = 64;
    public const int VariableValue = 1024;  // WhatsApp template parameters stay far below this
    public const int To = 64;               // a phone number in any punctuation, or an Omnichat group id
    public const int ChannelName = 32;
    public const int ExternalId = 128;
    public const int DeviceKey = 128;
    public const int UploadId = 64;
    public const int Reason = 500;          // a suppression's reason
    public const int IdempotencyKey = 255;  // as Stripe


    /// <summary>Null stays null. Too long, or a control character (newline and tab only where <paramref name="multiline"/>,
    /// that is in message text), is a 400 naming the field.</summary>
    public static string? Check(string? value, string field, int max, bool multiline = false)
    {
        if (value is null) return null;
        if (value.Length > max) throw new IntakeException(field, $"{field} is at most {max} characters (it has {value.Length}).");
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (!char.IsControl(c)) continue;
            if (multiline && (c is '\n' or '\t' || (c == '\r' && i + 1 < value.Length && value[i + 1] == '\n'))) continue;
            throw new IntakeException(field, multiline
                ? $"{field} has a control character (U+{(int)c:X4}) at position {i + 1}; only newlines and tabs are allowed."
                : $"{field} has a control character (U+{(int)c:X4}) at position {i + 1}.");
        }
        return value;
    }
}
