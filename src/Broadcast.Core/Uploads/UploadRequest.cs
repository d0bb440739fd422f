using Broadcast.Core.Messaging;

namespace Broadcast.Core.Uploads;

/// <summary>What the user says about the file: its separator (detected when absent), and the provider and template
/// its rows must suit.</summary>
public sealed record UploadRequest(char? Separator = null, Provider? Provider = null, TemplateHint? Template = null)
{
    public static readonly UploadRequest None = new();

    /// <summary>Reads the hint fields as the user sent them; a bad value is a 400 naming the field.</summary>
    public static UploadRequest Parse(string? separator, string? provider, string? template)
    {
        char? sep = null;
        if (!string.IsNullOrEmpty(separator))
        {
            sep = separator switch
            {
                "," or "comma" => ',',
                ";" or "semicolon" => ';',
                _ => throw UploadRejectedException.BadField("separator", $"'{Shorten(separator)}' is not a separator: send ',' or ';', or leave it out to have it detected."),
            };
        }

        Provider? vendor = null;
        if (!string.IsNullOrWhiteSpace(provider))
        {
            if (!Providers.TryParse(provider, out var parsed))
                throw UploadRejectedException.BadField("provider", $"'{Shorten(provider)}' is not a provider: send one of {string.Join(", ", Providers.Names)}.");
            vendor = parsed;
        }

        return new UploadRequest(sep, vendor, string.IsNullOrWhiteSpace(template) ? null : TemplateHint.Parse(template));
    }

    internal static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
