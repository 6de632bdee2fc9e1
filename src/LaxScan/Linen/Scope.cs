using System.Collections.Immutable;
using LaxScan.Nn;
using LaxScan.Random;

namespace LaxScan.Linen;

/// <summary>
/// Flax's <c>Scope</c> (flax/core/scope.py): what a module sees while it runs. It reads and creates variables in the
/// shared variable tree at its path, derives RNG keys from the streams passed to init or apply (one counter per stream,
/// from 0), reserves the names of its params and submodules, and remembers the transform depth it was made at.
/// </summary>
public sealed partial class Scope
{
    private const string ParamsCollection = "params";

    private readonly VariableStore _store;
    private readonly ImmutableArray<string> _path;
    private readonly ImmutableDictionary<string, LazyRng> _rngs;
    private readonly RngCounters _counters;

    // Reservations, autonames and bound submodules belong to one run of a module body: Flax's compact modules rewind
    // (empty) them at each call, while the RNG counters above live on.
    private readonly Dictionary<string, HashSet<string?>> _reservations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _autonameCursor = new(StringComparer.Ordinal);
    private readonly Dictionary<Module, Scope> _bound = new(ReferenceEqualityComparer.Instance);

    private Scope(
        VariableStore store,
        ImmutableArray<string> path,
        ImmutableDictionary<string, LazyRng> rngs,
        RngCounters counters,
        string moduleName,
        int traceDepth,
        LinenOptions options)
    {
        _store = store;
        _path = path;
        _rngs = rngs;
        _counters = counters;
        ModuleName = moduleName;
        TraceDepth = traceDepth;
        Options = options;
    }

    /// <summary>The names from the root scope to this one (empty for the root: a root module's name is not on the path).</summary>
    public IReadOnlyList<string> Path => _path;

    /// <summary>The path as Flax prints it in errors: <c>/</c> for the root, <c>/Dense_0</c>, <c>/Outer_0/Dense_1</c>.</summary>
    public string PathText => "/" + string.Join('/', _path);

    /// <summary>This scope's own name (the last path item), or null for the root, as Flax's <c>Scope.name</c>.</summary>
    public string? Name => _path.IsEmpty ? null : _path[^1];

    /// <summary>The class name of the module running in this scope; errors name it as Flax does.</summary>
    public string ModuleName { get; }

    /// <summary>The <see cref="TraceContext.Depth"/> at which the root of this scope tree was made.</summary>
    internal int TraceDepth { get; }

    /// <summary>The options of the init or apply call that made this scope.</summary>
    public LinenOptions Options { get; }

    /// <summary>
    /// The token passed to the <c>Init</c> or <c>Apply</c> call that runs this module (the same in every scope of the
    /// run): a module whose call runs long checks it between steps, as the built-in scans do.
    /// </summary>
    public CancellationToken CancellationToken => _store.Cancellation;

    /// <summary>Flax's <c>is_initializing()</c>: true inside <c>Init</c>, false inside <c>Apply</c>.</summary>
    public bool IsInitializing => _store.Initializing;

    /// <summary>Whether new variables may be created in a collection: all in init, none in apply.</summary>
    public bool IsMutableCollection(string collection) => _store.Mutable;

    /// <summary>Whether an RNG stream of this name was passed to init or apply.</summary>
    public bool HasRng(string stream) => _rngs.ContainsKey(stream);

    /// <summary>Whether the variable exists at this scope's path in the collection.</summary>
    public bool HasVariable(string collection, string name) => _store.Root.TryGetDict([collection, .. _path], out Variables? dict) && dict.ContainsKey(name);

    /// <summary>
    /// Flax's <c>make_rng</c>: increments this scope's counter for the stream and returns
    /// <c>fold_in(stream_key, h)</c>, where h hashes this scope's path and the counter in one SHA-1
    /// (see <see cref="LinenOptions.FixRngSeparator"/>). A stream that was not passed falls back to <c>params</c>.
    /// </summary>
    /// <param name="stream">The stream's name.</param>
    /// <exception cref="InvalidRngError">Neither the stream nor <c>params</c> was passed.</exception>
    /// <exception cref="JaxTransformError">Called inside a transform body deeper than this scope.</exception>
    public PrngKey MakeRng(string stream = ParamsCollection)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!_rngs.ContainsKey(stream))
        {
            stream = _rngs.ContainsKey(ParamsCollection) ? ParamsCollection : throw new InvalidRngError(Name, stream);
        }

        CheckTraceDepth($"make an RNG key from stream \"{stream}\"");
        long count = _counters.Next(stream);
        return _rngs[stream].Append(RngFoldable.Of(count)).AsKey(Options.FixRngSeparator);
    }

    /// <summary>
    /// Flax's <c>param</c>: reserves the name, then returns the existing parameter after checking its shape, or (in
    /// init) creates it with <c>initializer(MakeRng("params"), shape, Options.ThreefryMode)</c>. The parameter's name is
    /// not part of the RNG hash: the key depends only on the scope path and how many keys the scope made before.
    /// </summary>
    /// <param name="name">The parameter's name, unique among this module's params and submodules.</param>
    /// <param name="initializer">Makes the value in init; not called when the parameter exists.</param>
    /// <param name="shape">The shape the module needs.</param>
    /// <exception cref="NameInUseError">The name is already taken in this module.</exception>
    /// <exception cref="ScopeParamShapeError">The existing parameter has another shape.</exception>
    /// <exception cref="ScopeParamTypeError">The variables hold something other than a float32 array there.</exception>
    /// <exception cref="ScopeParamNotFoundError">In apply, the parameter does not exist.</exception>
    /// <exception cref="ScopeCollectionNotFoundError">In apply, the variables have no params at all.</exception>
    /// <exception cref="JaxTransformError">The parameter would be created inside a transform body.</exception>
    public NDArray<float> Param(string name, Initializer initializer, Shape shape)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(initializer);
        ArgumentNullException.ThrowIfNull(shape);
        if (NameReserved(name, ParamsCollection))
        {
            throw new NameInUseError(NameKind.Param, name, ModuleName);
        }

        Reserve(name, ParamsCollection);
        ReadOnlySpan<string> location = [ParamsCollection, .. _path, name];
        if (_store.Root.TryGetDict(location[..^1], out Variables? dict) && dict.ContainsKey(name))
        {
            return ExistingParam(name, location, shape);
        }

        if (!IsMutableCollection(ParamsCollection))
        {
            if (!_store.Root.TryGetDict([ParamsCollection], out Variables? collection) || collection.Count == 0)
            {
                throw new ScopeCollectionNotFoundError(ParamsCollection, name, PathText);
            }

            throw new ScopeParamNotFoundError(name, PathText);
        }

        CheckTraceDepth($"create param \"{name}\"");
        NDArray<float> value = initializer(MakeRng(ParamsCollection), shape, Options.ThreefryMode);
        if (value.Shape != shape)
        {
            throw new InvalidOperationException($"the initializer of param \"{name}\" in \"{PathText}\" was asked for shape {shape} but returned {value.Shape}; an Initializer must return the shape it is given");
        }

        _store.Root = _store.Root.SetAt(location, value);
        if (!Initializers.IsJaxBitExact(initializer))
        {
            _store.NotJaxBits.Add(string.Join('/', location.ToArray()));
        }

        return value;
    }

    private NDArray<float> ExistingParam(string name, ReadOnlySpan<string> location, Shape shape)
    {
        if (!_store.Root.TryGetLeaf(location, out INDArray? leaf))
        {
            throw new ScopeParamTypeError(name, PathText, "a nested dict");
        }

        // Flax compares shapes only (flax/core/scope.py param): it checks the dtype nowhere.
        if (leaf.Shape != shape)
        {
            throw new ScopeParamShapeError(name, PathText, leaf.Shape, shape);
        }

        return leaf as NDArray<float> ?? throw new ScopeParamTypeError(name, PathText, leaf.TypeString);
    }

    private void CheckTraceDepth(string action)
    {
        int depth = TraceContext.Depth;
        if (depth > TraceDepth)
        {
            throw new JaxTransformError(action, PathText, TraceDepth, depth);
        }
    }
}
