using System.ComponentModel;

namespace Broadcast.Functions.Apis;

/// <summary>A delivery window: when a broadcast may send, in its time zone.</summary>
public sealed record WindowRequest(
    [property: Description("Opens at this local time, HH:mm (or HH:mm:ss), such as 08:00.")] string? From,
    [property: Description("Closes at this local time (excluded); at or before `from`, the window crosses midnight (22:00 to 06:00).")] string? To,
    [property: Description("The days it opens on (a window across midnight belongs to the day it opens): mon, tue, wed, thu, fri, sat, sun. Every day when left out.")]
    IReadOnlyList<string?>? Days);
