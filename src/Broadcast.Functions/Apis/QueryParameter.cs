namespace Broadcast.Functions.Apis;

/// <summary>A query parameter an endpoint reads, as endpoint metadata: the one list that both the check refusing
/// unknown query parameters (<see cref="Http.QueryParameterCheck"/>) and the OpenAPI document read. Handlers take
/// each as a string and parse it themselves, so a wrong value is a 400 in our words naming it.</summary>
public sealed record QueryParameter(string Name, string Description)
{
    /// <summary>Set for a whole number: its bounds.</summary>
    public (int Minimum, int Maximum)? WholeNumber { get; init; }

    /// <summary>Set when the value is one of a type's words (an enum written in snake_case): the document refers to
    /// that type's schema, so a generated client gets the enum.</summary>
    public Type? OneOf { get; init; }

    /// <summary>Set when the value is one of a few words that no C# type names.</summary>
    public IReadOnlyList<string>? Values { get; init; }

    public static QueryParameter Integer(string name, int minimum, int maximum, string description) =>
        new(name, description) { WholeNumber = (minimum, maximum) };

    public static QueryParameter Words<TEnum>(string name, string description) where TEnum : struct, Enum =>
        new(name, description) { OneOf = typeof(TEnum) };

    public static QueryParameter Continuation { get; } =
        new("continuation", "The `continuation` of the previous page, as given; absent for the first page.");
}

/// <summary>Endpoint metadata: this call takes query parameters its caller (a vendor's webhook) chooses, so none
/// is refused.</summary>
public sealed record AnyQueryParameters;

/// <summary>A request header an endpoint reads besides the API key (which the document declares as a security
/// scheme): endpoint metadata that the OpenAPI document lists as a header parameter.</summary>
public sealed record HeaderParameter(string Name, string Description, int MaxLength);

public static class RequestParameterMetadata
{
    public static TBuilder WithQuery<TBuilder>(this TBuilder builder, params QueryParameter[] parameters) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(parameters.Cast<object>().ToArray());

    public static TBuilder WithHeader<TBuilder>(this TBuilder builder, HeaderParameter header) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(header);
}
