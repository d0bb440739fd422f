namespace Broadcast.Sandbox;

public sealed class OmnichatSettings
{
    public string ApiKey { get; set; } = "sandbox-omnichat-key";
}
