namespace Broadcast.Functions.Drops;

/// <summary>Which blobs of the drops container are what: <c>name.csv</c> is a drop (any case of the extension),
/// <c>name.json</c> its request, <c>name.result.json</c> and <c>name.error.json</c> what became of it.</summary>
internal static class DropNames
{
    private const string Csv = ".csv";
    private const string Json = ".json";
    private const string Result = ".result.json";
    private const string Error = ".error.json";

    public static bool IsCsv(string name) => name.EndsWith(Csv, StringComparison.OrdinalIgnoreCase) && name.Length > Csv.Length;

    public static bool IsReport(string name) =>
        name.EndsWith(Result, StringComparison.OrdinalIgnoreCase) || name.EndsWith(Error, StringComparison.OrdinalIgnoreCase);

    public static bool IsSidecar(string name) => name.EndsWith(Json, StringComparison.OrdinalIgnoreCase) && !IsReport(name) && name.Length > Json.Length;

    /// <summary>"night/customers.csv" → "night/customers".</summary>
    public static string BaseName(string name) => name[..name.LastIndexOf('.')];

    public static IEnumerable<string> SidecarsOf(string csv) => [BaseName(csv) + ".json", BaseName(csv) + ".JSON"];

    public static IEnumerable<string> CsvsOf(string sidecar) => [BaseName(sidecar) + ".csv", BaseName(sidecar) + ".CSV"];

    public static string ResultOf(string csv) => BaseName(csv) + Result;

    public static string ErrorOf(string csv) => BaseName(csv) + Error;
}
