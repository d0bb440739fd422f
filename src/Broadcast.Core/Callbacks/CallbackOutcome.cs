using Broadcast.Core.Phones;
using Broadcast.Core.Suppressions;
using Broadcast.Core.Telemetry;
using Broadcast.Core.Workflow;

namespace Broadcast.Core.Callbacks;

public enum CallbackOutcome { Updated, Unchanged, NoMatch, OptedOut, Ignored }
