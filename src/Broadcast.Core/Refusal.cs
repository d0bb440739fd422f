namespace Broadcast.Core;

/// <summary>Why the product refuses a request, in its own terms; the HTTP layer decides how each is answered.</summary>
public enum Refusal
{
    /// <summary>A field is missing, malformed or out of its limits.</summary>
    Invalid,
    /// <summary>Something the request names does not exist.</summary>
    NotFound,
    /// <summary>An identical request is still being processed; the same request later will succeed.</summary>
    InProgress,
    /// <summary>Well formed, but cannot be done as asked (not configured, unusable upload, key used for another request).</summary>
    Unprocessable,
    /// <summary>It would take a name or key that is already taken (a template's name).</summary>
    Conflict,
    /// <summary>What it names is not in a state that allows it now (a broadcast still running).</summary>
    WrongState,
    /// <summary>The content is larger than its limit.</summary>
    TooLarge,
    /// <summary>The content is of a kind the product does not read.</summary>
    UnsupportedContent,
}
