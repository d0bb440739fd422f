namespace Broadcast.Core.Messaging;

public enum Provider
{
    Qiscus,
    Khoros,
    Omnichat,
}
