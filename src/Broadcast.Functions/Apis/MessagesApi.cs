namespace Broadcast.Functions.Apis;

public static class MessagesApi
{
    public static RouteGroupBuilder MapMessagesApi(this RouteGroupBuilder api) => api;
}
