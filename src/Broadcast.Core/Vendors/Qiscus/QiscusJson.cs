using System.Text.Json.Serialization;

namespace Broadcast.Core.Vendors.Qiscus;

[JsonSerializable(typeof(QiscusSendBody))]
[JsonSerializable(typeof(QiscusBroadcastBody))]
internal sealed partial class QiscusJson : JsonSerializerContext;
