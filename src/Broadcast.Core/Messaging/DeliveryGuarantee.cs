namespace Broadcast.Core.Messaging;

public enum DeliveryGuarantee
{
    AtLeastOnce,
    AtMostOnce,
}
