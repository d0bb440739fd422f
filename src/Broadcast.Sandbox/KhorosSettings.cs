namespace Broadcast.Sandbox;

public sealed class KhorosSettings
{
    public string ApiKey { get; set; } = "sandbox-khoros-key";
}
