using Broadcast.Core.Workflow;

namespace Broadcast.Functions.Apis;

/// <summary>A broadcast's status as the API writes it (snake_case: "scheduled", "running", ...): the core's
/// <see cref="BroadcastStatus"/> words, typed, so the OpenAPI document lists them and clients get an enum.</summary>
public enum BroadcastStatusName { Scheduled, Running, Waiting, Canceling, Completed, Canceled, Failed }
