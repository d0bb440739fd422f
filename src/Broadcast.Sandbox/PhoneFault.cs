namespace Broadcast.Sandbox;

/// <summary>How the vendor answers a request for one recipient (<see cref="VendorBehavior.PhoneFaults"/>): any error
/// status, no answer at all (<see cref="Hang"/>) or a dropped connection (<see cref="Reset"/>), always or for the first
/// <see cref="Times"/> requests. Exactly one of <see cref="Status"/>, <see cref="Hang"/> and <see cref="Reset"/>.</summary>
// Settable rather than init, like VendorBehavior: source-generated deserialization fills it member by member.
public sealed record PhoneFault
{
    /// <summary>The HTTP status of the answer (400–599), in the vendor's error shape.</summary>
    public int? Status { get; set; }

    /// <summary>Reads the request, then never answers: the caller's timeout is what ends the call.</summary>
    public bool Hang { get; set; }

    /// <summary>Reads the request, then drops the connection without an answer (a reset after the request was sent).</summary>
    public bool Reset { get; set; }

    /// <summary>The vendor takes the message (counts a delivery) before it answers so: the vendor that queued the message
    /// and then failed, which is what "maybe delivered" means. Without it nothing is delivered.</summary>
    public bool Delivered { get; set; }

    /// <summary>Only the first this many requests for the number get the fault; later ones are answered normally.
    /// Null: every request.</summary>
    public int? Times { get; set; }

    /// <summary>With <see cref="Status"/>: the vendor's error message (its reason phrase when unset). A vendor may echo
    /// what it was sent, keys included: this is how a test makes it do so.</summary>
    public string? Message { get; set; }

    /// <summary>With <see cref="Status"/>: the answer comes from a gateway in front of the vendor (a proxy's HTML page
    /// titled with the status), not in the vendor's own error shape, so it says nothing of what the vendor did.</summary>
    public bool Gateway { get; set; }

    /// <summary>With <see cref="Status"/>: a <c>Retry-After</c> header of this many seconds.</summary>
    public int? RetryAfterSeconds { get; set; }

    /// <summary>What a recorded request's <see cref="RecordedRequest.StatusCode"/> is when the sandbox dropped the
    /// connection: no status was ever sent.</summary>
    public const int ResetStatusCode = 0;

    internal string? Validate(string phone)
    {
        var kinds = (Status is null ? 0 : 1) + (Hang ? 1 : 0) + (Reset ? 1 : 0);
        if (kinds != 1) return $"phone_faults[{phone}] needs exactly one of status, hang and reset";
        if (Status is < 400 or > 599) return $"phone_faults[{phone}].status must be an HTTP error status (400-599)";
        if (Times is <= 0) return $"phone_faults[{phone}].times must be positive";
        if (RetryAfterSeconds is < 0) return $"phone_faults[{phone}].retry_after_seconds must not be negative";
        if ((RetryAfterSeconds is not null || Message is not null || Gateway) && Status is null)
            return $"phone_faults[{phone}]: retry_after_seconds, message and gateway go with a status";
        return null;
    }
}
