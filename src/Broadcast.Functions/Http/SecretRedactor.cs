using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Primitives;

namespace Broadcast.Functions.Http;

/// <summary>Hides secrets in text that leaves the process (log lines, spans): the values of the query parameters and
/// headers that carry keys (<c>code</c>, <c>token</c>, <c>x-functions-key</c>, ...), and every configured secret
/// wherever it appears. One instance per app, built from its configuration; <see cref="RedactQuery"/> works without one.</summary>
public sealed partial class SecretRedactor
{
    public const string Mask = "***";

    /// <summary>Query parameters whose values are keys: the API key (Functions' <c>code</c>) and callback secrets.</summary>
    public static readonly IReadOnlySet<string> SecretQueryParameters = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "code", "token" };

    /// <summary>Headers whose values are keys, ours and the vendors'.</summary>
    public static readonly IReadOnlySet<string> SecretHeaders = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "x-functions-key", "x-callback-token", "authorization", "qiscus-secret-key", "proxy-authorization", "cookie", "set-cookie",
    };

    // Shorter values are too likely to be ordinary text ("id", "62") to replace everywhere.
    private const int MinSecretLength = 4;

    private readonly string[] _secrets;

    public SecretRedactor(IEnumerable<string?> secrets) =>
        // Longest first, so a secret that contains another is hidden whole.
        _secrets = secrets.Where(s => s is { Length: >= MinSecretLength }).Select(s => s!).Distinct().OrderByDescending(s => s.Length).ToArray();

    /// <summary>Every secret the app is configured with: API keys, callback secrets, vendor keys, the storage key.</summary>
    public static SecretRedactor FromConfiguration(IConfiguration config)
    {
        var secrets = new List<string?>();
        secrets.AddRange((config["Api:Keys"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        foreach (var provider in new[] { "Qiscus", "Khoros", "Omnichat" })
            secrets.Add(config[$"Callbacks:{provider}:Secret"]);
        secrets.Add(config["Vendors:Qiscus:SecretKey"]);
        secrets.Add(config["Vendors:Khoros:ApiKey"]);
        secrets.Add(config["Vendors:Omnichat:ApiKey"]);
        secrets.Add(config["Vendors:Omnichat:DeviceKey"]);
        foreach (var name in new[] { "Storage:ConnectionString", "AzureWebJobsStorage" })
            secrets.AddRange(ConnectionStringSecrets(config[name]));
        return new SecretRedactor(secrets);
    }

    private static IEnumerable<string?> ConnectionStringSecrets(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString)) return [];
        var builder = new DbConnectionStringBuilder();
        try { builder.ConnectionString = connectionString; }
        catch (ArgumentException) { return [connectionString]; }
        return new[] { "AccountKey", "SharedAccessSignature" }.Select(k => builder.TryGetValue(k, out var v) ? v as string : null);
    }

    public string Redact(string text)
    {
        if (string.IsNullOrEmpty(text)) return text;
        text = RedactQuery(text);
        foreach (var secret in _secrets)
            if (text.Contains(secret, StringComparison.Ordinal)) text = text.Replace(secret, Mask, StringComparison.Ordinal);
        return text;
    }

    /// <summary>A header value as it may be logged: masked when the header carries a key.</summary>
    public string RedactHeader(string name, string? value) => SecretHeaders.Contains(name) ? Mask : Redact(value ?? "");

    /// <summary><c>...?code=abc&amp;x=1</c> → <c>...?code=***&amp;x=1</c>, anywhere in the text (a URL, a query string, a log line).</summary>
    public static string RedactQuery(string text) =>
        string.IsNullOrEmpty(text) || text.IndexOf('=') < 0 ? text : SecretQueryValue().Replace(text, "${name}=" + Mask);

    /// <summary>A value that may be logged: strings, URLs, paths, query strings and header values are redacted; other values pass.</summary>
    public object? RedactValue(object? value) => value switch
    {
        null => null,
        string s => Redact(s),
        Uri or PathString or QueryString or HostString => Redact(value.ToString()!),
        StringValues v => Redact(v.ToString()),
        _ => value,
    };

    // A parameter starts the query or follows '&' (also URL-encoded as %26 or HTML-escaped as &amp;); its value runs to
    // the next separator, quote or space.
    [GeneratedRegex(@"(?<=[?&;]|%26|%3[Ff])(?<name>code|token)=[^&\s""'<>#;]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretQueryValue();
}
