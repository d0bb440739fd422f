namespace Broadcast.Core.Vendors;

/// <summary>How a vendor's templates take their variables.</summary>
public enum VariableStyle
{
    /// <summary>By position or by name: the vendor gets them as named values either way.</summary>
    Any,
    /// <summary>In order only (Qiscus: body_variable1..N).</summary>
    Positional,
    /// <summary>By name only (Omnichat: {"{name}": value}).</summary>
    Named,
}
