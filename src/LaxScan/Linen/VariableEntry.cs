namespace LaxScan.Linen;

/// <summary>One entry of a <see cref="Variables"/> dictionary: a name and either an array or a nested dictionary.</summary>
/// <param name="Key">The entry's name.</param>
/// <param name="Leaf">The array, when the entry is a leaf; otherwise null.</param>
/// <param name="Dict">The nested dictionary, when the entry is not a leaf; otherwise null.</param>
public readonly record struct VariableEntry(string Key, INDArray? Leaf, Variables? Dict)
{
    /// <summary>Whether the entry holds an array rather than a nested dictionary.</summary>
    public bool IsLeaf => Leaf is not null;
}

/// <summary>One array of a <see cref="Variables"/> tree with the full path of names that leads to it.</summary>
/// <param name="Path">The names from the top of the tree, such as <c>["params", "Dense_0", "kernel"]</c>.</param>
/// <param name="Value">The array.</param>
public readonly record struct VariableLeaf(IReadOnlyList<string> Path, INDArray Value)
{
    /// <summary>The path joined with '/', as Flax's scope paths print: <c>params/Dense_0/kernel</c>.</summary>
    public string PathText => string.Join('/', Path);
}
