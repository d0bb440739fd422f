namespace Broadcast.Core.Uploads;

public static class UploadLayouts
{
    public const string QiscusTemplate = "qiscus_template";
    public const string NamedVariables = "named_variables";
    public const string Simple = "simple";
}
