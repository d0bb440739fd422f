namespace Broadcast.Tests.Integration.Templates;

/// <summary>The example template, registered by the tests that send by name.</summary>
internal static class TemplateSamples
{
    public static object Invoice(string name = "invoice_update") => new
    {
        name,
        body = "Halo {{1}}, tagihan Anda {{2}}",
        variants = new Dictionary<string, object>
        {
            ["qiscus"] = new
            {
                id = "172", name = "invoince_update", @namespace = "6616bb93_d895_41e7_8bbe_2c528219e56e", language = "id", variables = 2,
                buttons = new[] { new { type = "url", index = 0, values = "coba" } },
            },
            ["omnichat"] = new { id = "510b32e9-d6d9-4c75-83ae-f95cdfcc96e3", variables = new[] { "{name}", "{amount}" } },
            ["khoros"] = new { text = "Halo {name}, tagihan Anda {amount}" },
        },
    };
}
