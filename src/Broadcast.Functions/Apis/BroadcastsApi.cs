namespace Broadcast.Functions.Apis;

public static class BroadcastsApi
{
    public static RouteGroupBuilder MapBroadcastsApi(this RouteGroupBuilder api) => api;
}
