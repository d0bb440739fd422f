namespace Broadcast.Core.Messaging;

/// <summary>Settings section <c>Messaging</c>.</summary>
public sealed class MessagingOptions
{
    /// <summary>Country calling code given to local numbers such as 0812...</summary>
    public string DefaultCountryCode { get; set; } = "62";
}
