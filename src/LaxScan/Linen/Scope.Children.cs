using System.Collections.Immutable;
using LaxScan.Random;

namespace LaxScan.Linen;

public sealed partial class Scope
{
    /// <summary>
    /// Runs a submodule in a child scope, as calling a submodule inside a Flax <c>@compact</c> method does. The child is
    /// named by <see cref="Module.Name"/>, or else by the class name and a per-class counter of this run
    /// (<c>Dense_0</c>, <c>Dense_1</c>); its name is pushed onto the path and so into every RNG key it makes. Calling
    /// the same module instance again in this run reuses its scope (shared params), as Flax shares a bound submodule.
    /// </summary>
    /// <typeparam name="TIn">The submodule's input type.</typeparam>
    /// <typeparam name="TOut">The submodule's output type.</typeparam>
    /// <param name="module">The submodule.</param>
    /// <param name="input">Its input.</param>
    /// <returns>Its output.</returns>
    /// <exception cref="NameInUseError">The submodule's name is already taken in this module.</exception>
    /// <exception cref="JaxTransformError">Called inside a transform body deeper than this scope.</exception>
    public TOut Call<TIn, TOut>(Module<TIn, TOut> module, TIn input)
    {
        ArgumentNullException.ThrowIfNull(module);
        CheckTraceDepth($"create submodule {module.Name ?? module.ClassName}");
        if (_bound.TryGetValue(module, out Scope? bound))
        {
            return module.Invoke(bound.Rewound(), input);
        }

        return BindAndInvoke(module, module.Name ?? NextAutoName(module.ClassName), input);
    }

    /// <summary>
    /// <see cref="Call{TIn, TOut}"/> under a name the parent decides, as Flax names a submodule held in a dataclass
    /// field after the field (<c>nn.RNN</c>'s <c>cell</c>, <c>nn.Bidirectional</c>'s <c>forward_rnn</c>), whatever the
    /// module's own name.
    /// </summary>
    internal TOut CallAs<TIn, TOut>(Module<TIn, TOut> module, string name, TIn input)
    {
        ArgumentNullException.ThrowIfNull(module);
        CheckTraceDepth($"create submodule {name}");
        return _bound.TryGetValue(module, out Scope? bound) ? module.Invoke(bound.Rewound(), input) : BindAndInvoke(module, name, input);
    }

    private TOut BindAndInvoke<TIn, TOut>(Module<TIn, TOut> module, string name, TIn input)
    {
        if (NameReserved(name, null))
        {
            throw new NameInUseError(NameKind.Submodule, name, ModuleName);
        }

        Scope child = Push(name, module.ClassName);
        _bound[module] = child;
        return module.Invoke(child, input);
    }

    /// <summary>The root scope of an init or apply call.</summary>
    internal static Scope CreateRoot(
        VariableStore store,
        IReadOnlyDictionary<string, PrngKey>? rngs,
        string moduleName,
        LinenOptions options)
    {
        var lazy = ImmutableDictionary.CreateBuilder<string, LazyRng>(StringComparer.Ordinal);
        foreach ((string stream, PrngKey key) in rngs ?? ImmutableDictionary<string, PrngKey>.Empty)
        {
            lazy.Add(stream ?? throw new ArgumentException("RNG stream names must not be null", nameof(rngs)), LazyRng.Root(key));
        }

        return new Scope(store, [], lazy.ToImmutable(), new RngCounters(), moduleName, TraceContext.Depth, options);
    }

    /// <summary>
    /// The scope a lifted transform (<c>nn.scan</c>) runs its body in: Flax's <c>pack</c> makes an inner scope with this
    /// scope's path, RNG streams and the very same RNG counters (flax/core/lift.py <c>_partial_pack</c>: <c>path=scope.path</c>,
    /// <c>inner_scope.rng_counters = rng_counters</c>), no names reserved, at the transform's own trace level, so
    /// submodules may be bound inside the body.
    /// </summary>
    /// <param name="moduleName">The class name of the module that runs in it.</param>
    /// <param name="rngStreams">The RNG streams the transform lifts (its <c>split_rngs</c> keys); the others are not visible inside.</param>
    internal Scope Lifted(string moduleName, IEnumerable<string> rngStreams)
    {
        ImmutableDictionary<string, LazyRng> rngs = _rngs.Where(p => rngStreams.Contains(p.Key, StringComparer.Ordinal))
            .ToImmutableDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        return new(_store, _path, rngs, _counters, moduleName, TraceContext.Depth, Options);
    }

    /// <summary>The variable store this scope reads and writes (shared by the whole init or apply call).</summary>
    internal VariableStore Store => _store;

    /// <summary>Flax's <c>rewound()</c>: the same place and counters, with no names reserved yet.</summary>
    internal Scope Rewound() => new(_store, _path, _rngs, _counters, ModuleName, TraceDepth, Options);

    /// <summary>Flax's <c>push</c>: reserves the name and makes the child scope with the name appended to every stream's path.</summary>
    private Scope Push(string name, string moduleName)
    {
        Reserve(name, null);
        RngFoldable item = RngFoldable.Of(name);
        ImmutableDictionary<string, LazyRng> rngs = _rngs.ToImmutableDictionary(p => p.Key, p => p.Value.Append(item), StringComparer.Ordinal);

        // The child keeps the parent's depth: Flax's push refuses to run deeper, so a child is never made inside a body.
        return new Scope(_store, _path.Add(name), rngs, _counters.Child(name), moduleName, TraceDepth, Options);
    }

    private string NextAutoName(string prefix)
    {
        // Flax's autoname cursor counts per class name and does not skip taken names: a clash is a NameInUseError.
        _autonameCursor.TryGetValue(prefix, out int cursor);
        _autonameCursor[prefix] = cursor + 1;
        return $"{prefix}_{cursor}";
    }

    /// <summary>Flax's <c>name_reserved</c>: a name may be reused only by variables of different collections.</summary>
    private bool NameReserved(string name, string? collection) =>
        _reservations.TryGetValue(name, out HashSet<string?>? taken)
        && (taken.Contains(null) || collection is null || taken.Contains(collection));

    private void Reserve(string name, string? collection)
    {
        if (!_reservations.TryGetValue(name, out HashSet<string?>? taken))
        {
            taken = [];
            _reservations[name] = taken;
        }

        taken.Add(collection);
    }
}
