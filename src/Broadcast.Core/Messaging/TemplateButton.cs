namespace Broadcast.Core.Messaging;

/// <summary>A Qiscus button parameter: <c>{"type": "url", "values": "coba", "index": 0}</c>.</summary>
public sealed record TemplateButton(string Type, string Values, int Index);
