namespace Broadcast.Functions.Apis;

public static class UploadsApi
{
    public static RouteGroupBuilder MapUploadsApi(this RouteGroupBuilder api)
    {
        return api;
    }
}
