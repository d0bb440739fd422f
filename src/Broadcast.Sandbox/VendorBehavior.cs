namespace Broadcast.Sandbox;

/// <summary>How a vendor misbehaves. Sent over HTTP as snake_case JSON. <see cref="SandboxState.Configure"/> takes a copy.</summary>
// Settable rather than init: source-generated deserialization overwrites init defaults (FailStatus = 503) with zero.
public sealed record VendorBehavior
{
    /// <summary>Delay before answering, in milliseconds.</summary>
    public int LatencyMs { get; set; }

    /// <summary>Token bucket (capacity = rate, refilled continuously); over the limit answers 429 with <c>Retry-After: 1</c>.</summary>
    public int? RateLimitPerSecond { get; set; }

    /// <summary>The next N requests fail with <see cref="FailStatus"/>.</summary>
    public int FailNext { get; set; }

    public int FailStatus { get; set; } = 503;

    /// <summary>When set, failures from <see cref="FailNext"/> carry a <c>Retry-After</c> header.</summary>
    public int? RetryAfterSeconds { get; set; }

    public string? FailMessage { get; set; }

    /// <summary>Omnichat only: the next N accepted-looking requests answer HTTP 200 with <c>"status": false</c>.</summary>
    public int OmnichatStatusFalseNext { get; set; }

    /// <summary>Omnichat only: every request for one of these numbers answers HTTP 200 with <c>"status": false</c>
    /// (the number is not on WhatsApp). Keys match with or without a leading '+'.</summary>
    public List<string>? OmnichatStatusFalsePhones { get; set; }

    /// <summary>Recipient phone → HTTP status: a request for that recipient is always rejected with that status.</summary>
    public Dictionary<string, int>? FailPhones { get; set; }

    /// <summary>Recipient phone → how a request for that recipient is answered: any error status, a hang or a reset,
    /// optionally after taking the message and optionally only the first few times (<see cref="PhoneFault"/>). For a
    /// call carrying several recipients (a Khoros audience, a Qiscus file) the first one with a fault decides; Qiscus
    /// bulk applies it to the send-broadcast call, the one that sends (its upload sends nothing). Checked after the
    /// request is found valid, before <see cref="FailPhones"/>.</summary>
    public Dictionary<string, PhoneFault>? PhoneFaults { get; set; }

    internal string? Validate()
    {
        if (LatencyMs < 0) return "latency_ms must not be negative";
        if (RateLimitPerSecond is <= 0) return "rate_limit_per_second must be positive";
        if (FailNext < 0) return "fail_next must not be negative";
        if (FailStatus is < 400 or > 599) return "fail_status must be an HTTP error status (400-599)";
        if (RetryAfterSeconds is < 0) return "retry_after_seconds must not be negative";
        if (OmnichatStatusFalseNext < 0) return "omnichat_status_false_next must not be negative";
        if (OmnichatStatusFalsePhones?.Any(string.IsNullOrWhiteSpace) == true) return "omnichat_status_false_phones must not hold an empty number";
        if (FailPhones is not null)
        {
            foreach (var (phone, status) in FailPhones)
            {
                if (string.IsNullOrWhiteSpace(phone)) return "fail_phones keys must not be empty";
                if (status is < 400 or > 599) return $"fail_phones[{phone}] must be an HTTP error status (400-599)";
            }
        }
        if (PhoneFaults is not null)
        {
            foreach (var (phone, fault) in PhoneFaults)
            {
                if (string.IsNullOrWhiteSpace(phone)) return "phone_faults keys must not be empty";
                if (fault is null) return $"phone_faults[{phone}] must be an object";
                if (fault.Validate(phone) is { } error) return error;
            }
        }
        return null;
    }
}
