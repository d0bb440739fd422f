namespace Broadcast.Core.Vendors;

public enum SendOutcome
{
    Accepted,
    /// <summary>Timeout, connection error, 408, 429, 5xx: worth retrying, unless <see cref="SendResult.MaybeDelivered"/>
    /// and the guarantee is at_most_once.</summary>
    Transient,
    /// <summary>Any other refusal: retrying would not help.</summary>
    Permanent,
}
