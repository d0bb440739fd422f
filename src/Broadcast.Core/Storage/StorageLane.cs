namespace Broadcast.Core.Storage;

/// <summary>Which share of the app's storage calls a call takes, so that under load the calls somebody waits on
/// go first: an account (or an emulator) that is busy answers in the order it was asked, and a queue of background
/// calls ahead of a caller's is time that caller waits.</summary>
public enum StorageLane
{
    /// <summary>Nobody waits on it (sending, fan-out, counters): a limited share, smaller while callers are served.</summary>
    Background,

    /// <summary>An API read (GET): a limited share, so that a crowd of readers does not queue ahead of writes.</summary>
    Read,

    /// <summary>An API write, or work one waits for (the accept step's group commit): never held back.</summary>
    Write,
}
