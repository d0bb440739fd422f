using System.Text.Json;
using Broadcast.Core.Campaigns;
using Broadcast.Core.Workflow;

namespace Broadcast.Functions.Apis;

/// <summary>The completion webhook's body: the broadcast's final state exactly as <c>GET /api/broadcasts/{id}</c> answers it.</summary>
internal sealed class FinalStateBody : IFinalStateBody
{
    public byte[] Of(BroadcastRecord record) => JsonSerializer.SerializeToUtf8Bytes(BroadcastState.From(record), Extensions.Json);
}
