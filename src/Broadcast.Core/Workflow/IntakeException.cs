namespace Broadcast.Core.Workflow;

/// <summary>A request the product cannot accept, naming the field; nothing was started.</summary>
public sealed class IntakeException(string field, string message, Refusal refusal = Refusal.Invalid) : Exception(message)
{
    public string Field { get; } = field;
    public Refusal Refusal { get; } = refusal;

    /// <summary>The columns an upload lacks for what the request asks (a template's variables).</summary>
    public IReadOnlyList<string>? Columns { get; init; }
}
