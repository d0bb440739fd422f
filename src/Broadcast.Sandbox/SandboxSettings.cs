namespace Broadcast.Sandbox;

/// <summary>Settings bound from the configuration section <c>Sandbox</c>.</summary>
public sealed class SandboxSettings
{
    public const string SectionName = "Sandbox";

    public QiscusSettings Qiscus { get; set; } = new();
    public KhorosSettings Khoros { get; set; } = new();
    public OmnichatSettings Omnichat { get; set; } = new();

    /// <summary>Keep request records (headers and bodies). When false only counters and deliveries are kept.</summary>
    public bool Record { get; set; } = true;

    /// <summary>Upper bound on kept request records; the oldest are dropped first.</summary>
    public int MaxRecorded { get; set; } = 200_000;

    internal void Validate()
    {
        Require(Qiscus.AppId, "Sandbox:Qiscus:AppId");
        Require(Qiscus.SecretKey, "Sandbox:Qiscus:SecretKey");
        Require(Khoros.ApiKey, "Sandbox:Khoros:ApiKey");
        Require(Omnichat.ApiKey, "Sandbox:Omnichat:ApiKey");
        string[] paths = [QiscusSettings.ClientPath, Qiscus.UploadCsvPath, Qiscus.SendBroadcastPath];
        foreach (var path in paths)
        {
            if (string.IsNullOrWhiteSpace(path) || !path.StartsWith('/'))
                throw new InvalidOperationException($"Sandbox Qiscus path '{path}' must start with '/'.");
        }
        if (paths.Distinct(StringComparer.OrdinalIgnoreCase).Count() != paths.Length)
            throw new InvalidOperationException("Sandbox Qiscus paths must be distinct.");
        if (MaxRecorded < 0)
            throw new InvalidOperationException("Sandbox:MaxRecorded must not be negative.");
    }

    private static void Require(string value, string name)
    {
        if (string.IsNullOrEmpty(value))
            throw new InvalidOperationException($"{name} must not be empty.");
    }
}
