using Broadcast.Core.Uploads;
using Broadcast.Core.Workflow;

namespace Broadcast.Functions.Drops;

/// <summary>Why a drop starts nothing: what <c>POST /api/uploads</c> or <c>POST /api/broadcasts</c> would have
/// answered as problem+json (status, title, detail, field), with the errors listed.</summary>
internal sealed record DropProblem(int Status, string Title, string Detail, string? Field, IReadOnlyList<DropError> Errors, string? UploadId = null)
{
    public static DropProblem From(IntakeException e) =>
        new(ProblemExceptionHandler.StatusOf(e.Refusal), "Invalid request", e.Message, e.Field, [new DropError(null, null, e.Field, e.Message)]);

    public static DropProblem From(UploadRejectedException e) =>
        new(ProblemExceptionHandler.StatusOf(e.Refusal), e.Title, e.Detail, e.Field, [new DropError(e.Row, e.Column, e.Field, e.Detail)]);

    public static DropProblem BadField(string? field, string title, string detail) =>
        new(400, title, detail, field, [new DropError(null, null, field, detail)]);

    /// <summary>As <c>POST /api/uploads</c> answers 422: the upload is kept so all its errors can be paged.</summary>
    public static DropProblem NoValidRecipient(UploadSummary summary) =>
        new(422, "No valid recipient",
            $"None of the {summary.TotalRows} rows holds a valid recipient, so the upload cannot be used by a broadcast.",
            "file", summary.Errors.Select(e => new DropError(e.Row, e.Column, null, e.Error)).ToList(), summary.UploadId);

    public static DropProblem NoRequest(string csv, TimeSpan grace) =>
        new(400, "No broadcast request",
            $"No {DropNames.SidecarsOf(csv).First()} arrived within {grace} of the CSV, and the CSV's metadata holds no request. " +
            "Drop the request beside it (or set it as the CSV's metadata) and upload the CSV again.",
            null, [new DropError(null, null, null, $"{DropNames.SidecarsOf(csv).First()} is missing")]);

    public static DropProblem GaveUp(int attempts, string? lastError) =>
        new(500, "Not processed",
            $"Processing the drop failed {attempts} times{(lastError is null ? "" : $" (last: {lastError})")}; upload the CSV again to retry.",
            null, [new DropError(null, null, null, lastError ?? "processing failed")]);
}
