
namespace Broadcast.Functions.Http;

/// <summary>problem+json answers that name what is wrong: the field, the row, the column.</summary>
public static class Problems
{
    public static ProblemHttpResult Field(string field, string detail, int status = 400) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: "Invalid request",
            extensions: new Dictionary<string, object?> { ["field"] = field });

    public static ProblemHttpResult Status(int status, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, extensions: extensions);

    public static ProblemHttpResult NotFound(string what, string id) =>
        TypedResults.Problem(detail: $"No {what} has id '{id}'.", statusCode: 404, title: "Not found");

    public static Task Write(HttpContext context, int status, string title, string detail, string? field = null, long? row = null, string? column = null,
        IReadOnlyList<string>? columns = null)
    {
        var extensions = new Dictionary<string, object?>();
        if (field is not null) extensions["field"] = field;
        if (row is not null) extensions["row"] = row;
        if (column is not null) extensions["column"] = column;
        if (columns is not null) extensions["columns"] = columns;
        return TypedResults.Problem(detail: detail, statusCode: status, title: title, extensions: extensions).ExecuteAsync(context);
    }

    /// <summary>400 naming the unknown name by its path and, when one is close, the known name it may mean.</summary>
    public static Task Unknown(HttpContext context, UnknownFieldException unknown)
    {
        var extensions = new Dictionary<string, object?> { ["field"] = unknown.Field };
        if (unknown.DidYouMean is not null) extensions["did_you_mean"] = unknown.DidYouMean;
        return TypedResults.Problem(detail: unknown.Message, statusCode: StatusCodes.Status400BadRequest, title: "Unknown field", extensions: extensions)
            .ExecuteAsync(context);
    }
}
