namespace Broadcast.Core.Pacing;

/// <summary>Settings section <c>Pacing</c>: how instances agree on their shares of a channel.</summary>
public sealed class PacingOptions
{
    /// <summary>How often an instance sending on a channel renews its row and re-reads the others'. Each renewal
    /// is two entity operations (one write, one partition read), whatever the channel's rate.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a row stays live without renewal: an instance that dies releases its share this long
    /// after its last renewal (plus one heartbeat for the others to notice). Five heartbeats, so that a few slow
    /// storage calls do not make a live instance look dead.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>After this long without a send, an instance gives its share back and stops renewing.</summary>
    public TimeSpan IdleAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>An instance holds no share once its own renewals have failed this long, before the others can
    /// see its row as expired (<see cref="LeaseDuration"/>): two instances never both count on the same share.</summary>
    public TimeSpan HoldAfter => LeaseDuration - HeartbeatInterval - HeartbeatInterval;
}
