namespace LaxScan.Linen;

/// <summary>
/// Flax's <c>NameInUseError</c>: a param or submodule takes a name already used in the same module (params and
/// submodules share one namespace). Give one of them another name, or call the same module instance twice to share it.
/// </summary>
public sealed class NameInUseError : InvalidOperationException, IFlaxError
{
    /// <summary>Creates the error.</summary>
    /// <param name="kind">What was being made.</param>
    /// <param name="name">The name that is taken.</param>
    /// <param name="moduleName">The class name of the module that was making it.</param>
    public NameInUseError(NameKind kind, string name, string moduleName)
        : base(FlaxErrorText.WithLink($"Could not create {KindText(kind)} \"{name}\" in Module {moduleName}: Name in use.", nameof(NameInUseError)))
    {
        Kind = kind;
        Name = name;
        ModuleName = moduleName;
    }

    /// <summary>What was being made.</summary>
    public NameKind Kind { get; }

    /// <summary>The name that is taken.</summary>
    public string Name { get; }

    /// <summary>The class name of the module that was making it.</summary>
    public string ModuleName { get; }

    private static string KindText(NameKind kind) => kind switch
    {
        NameKind.Param => "param",
        NameKind.Submodule => "submodule",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown name kind"),
    };

    /// <inheritdoc/>
    public string FlaxClassName => nameof(NameInUseError);
}

/// <summary>What a <see cref="NameInUseError"/> was trying to make (Flax's <c>key_type</c>).</summary>
public enum NameKind
{
    /// <summary>A parameter, made by <see cref="Scope.Param"/>.</summary>
    Param,

    /// <summary>A submodule, made by <see cref="Scope.Call{TIn, TOut}"/>.</summary>
    Submodule,
}
