namespace Broadcast.Core.Callbacks;

public enum CallbackOutcome { Updated, Unchanged, NoMatch, OptedOut, Ignored }
