namespace LaxScan.Linen;

/// <summary>
/// Flax's <c>ScopeCollectionNotFound</c>: <c>Apply</c> needs a variable from a collection the variables do not have at
/// all, most often because the params were passed without their <c>{"params": ...}</c> level.
/// </summary>
public sealed class ScopeCollectionNotFoundError : KeyNotFoundException, IFlaxError
{
    /// <summary>Creates the error.</summary>
    /// <param name="collection">The missing collection, such as <c>params</c>.</param>
    /// <param name="variableName">The variable the module asked for.</param>
    /// <param name="scopePath">The scope's path text.</param>
    public ScopeCollectionNotFoundError(string collection, string variableName, string scopePath)
        : base(FlaxErrorText.WithLink(
            $"Tried to access \"{variableName}\" from collection \"{collection}\" in \"{scopePath}\" but the collection is empty.", "ScopeCollectionNotFound"))
    {
        Collection = collection;
        VariableName = variableName;
        ScopePath = scopePath;
    }

    /// <summary>The missing collection.</summary>
    public string Collection { get; }

    /// <summary>The variable the module asked for.</summary>
    public string VariableName { get; }

    /// <summary>The scope's path text.</summary>
    public string ScopePath { get; }

    /// <inheritdoc/>
    public string FlaxClassName => "ScopeCollectionNotFound";
}
