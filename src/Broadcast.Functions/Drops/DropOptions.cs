namespace Broadcast.Functions.Drops;

/// <summary>Settings section <c>Drops</c>.</summary>
public sealed class DropOptions
{
    public const string Section = "Drops";

    /// <summary>The container watched for drops (the storage name prefix applies).</summary>
    public string Container { get; set; } = "broadcast-drops";

    /// <summary>How often the standalone host lists the container: a drop starts within about two of these.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a CSV without a request waits for its <c>name.json</c> before it is invalid.</summary>
    public TimeSpan SidecarGrace { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a claim on a drop holds without renewal; an instance that dies mid-way loses its drops to
    /// another (or to itself, restarted) after this long.</summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(2);
}
