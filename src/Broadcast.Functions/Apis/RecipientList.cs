using System.Text.Json.Serialization;
using Broadcast.Core.Messaging;
using Broadcast.Core.Workflow;

namespace Broadcast.Functions.Apis;

public sealed record RecipientList(IReadOnlyList<RecipientState> Items, string? Continuation);
