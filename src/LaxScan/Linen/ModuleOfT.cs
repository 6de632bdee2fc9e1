using LaxScan.Random;

namespace LaxScan.Linen;

/// <summary>
/// A Flax <c>nn.Module</c> with one <c>@compact</c> <c>__call__</c>: <see cref="Call(Scope, TIn)"/> creates params with
/// <see cref="Scope.Param"/> and runs submodules with <see cref="Scope.Call{TIn, TOut}"/> as it computes. Modules hold
/// hyperparameters only; the variables live outside, returned by <c>Init</c> and passed to <c>Apply</c>.
/// </summary>
/// <typeparam name="TIn">The input type (a tuple for several inputs).</typeparam>
/// <typeparam name="TOut">The output type.</typeparam>
public abstract class Module<TIn, TOut> : Module
{
    /// <summary>
    /// Flax's <c>model.init(key, x)</c>: runs the module with all collections mutable and returns the variables it
    /// created, such as <c>{"params": {"W": ...}}</c>. The key becomes the <c>params</c> stream unchanged (no split).
    /// </summary>
    /// <param name="key">The <c>params</c> stream's key.</param>
    /// <param name="input">An input of the shape the module will be applied to.</param>
    /// <param name="options">The threefry mode and RNG separator; null for JAX's and Flax's defaults.</param>
    /// <param name="cancellationToken">Stops a long run (between scan steps); checked before anything runs.</param>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public Variables Init(PrngKey key, TIn input, LinenOptions? options = null, CancellationToken cancellationToken = default) =>
        InitWithOutput(key, input, options, cancellationToken).Variables;

    /// <summary>Flax's <c>model.init(rngs, x)</c> with named RNG streams, such as <c>{"params": k1, "dropout": k2}</c>.</summary>
    /// <param name="rngs">The streams; keys are used unchanged.</param>
    /// <param name="input">An input of the shape the module will be applied to.</param>
    /// <param name="options">The threefry mode and RNG separator; null for the defaults.</param>
    /// <param name="cancellationToken">Stops a long run (between scan steps); checked before anything runs.</param>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public Variables Init(IReadOnlyDictionary<string, PrngKey> rngs, TIn input, LinenOptions? options = null, CancellationToken cancellationToken = default) =>
        InitWithOutput(rngs, input, options, cancellationToken).Variables;

    /// <summary>Flax's <c>model.init_with_output(key, x)</c>: the output of the init run and the variables.</summary>
    /// <param name="key">The <c>params</c> stream's key.</param>
    /// <param name="input">The input.</param>
    /// <param name="options">The threefry mode and RNG separator; null for the defaults.</param>
    /// <param name="cancellationToken">Stops a long run (between scan steps); checked before anything runs.</param>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public (TOut Output, Variables Variables) InitWithOutput(PrngKey key, TIn input, LinenOptions? options = null, CancellationToken cancellationToken = default) =>
        InitWithOutput(new Dictionary<string, PrngKey>(StringComparer.Ordinal) { ["params"] = key }, input, options, cancellationToken);

    /// <summary>Flax's <c>model.init_with_output(rngs, x)</c> with named RNG streams.</summary>
    /// <param name="rngs">The streams; keys are used unchanged.</param>
    /// <param name="input">The input.</param>
    /// <param name="options">The threefry mode and RNG separator; null for the defaults.</param>
    /// <param name="cancellationToken">Stops a long run (between scan steps); checked before anything runs.</param>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public (TOut Output, Variables Variables) InitWithOutput(IReadOnlyDictionary<string, PrngKey> rngs, TIn input, LinenOptions? options = null, CancellationToken cancellationToken = default) =>
        InitWithOutput(rngs, input, options, Call, cancellationToken);

    /// <summary>
    /// <c>init_with_output</c> running <paramref name="call"/> in place of <see cref="Call(Scope, TIn)"/>: how a module
    /// passes per-call options (threads, cancellation) to its computation without keeping them on the module, which
    /// holds hyperparameters only and may serve several callers at once.
    /// </summary>
    private protected (TOut Output, Variables Variables) InitWithOutput(IReadOnlyDictionary<string, PrngKey> rngs, TIn input, LinenOptions? options, Func<Scope, TIn, TOut> call, CancellationToken cancellationToken)
    {
        InitReport<TOut> report = InitWithReport(rngs, input, options, call, cancellationToken);
        return (report.Output, report.Variables);
    }

    /// <summary>
    /// <c>init_with_output</c> that also says which params are not JAX's bits: those made by an initializer for which
    /// <see cref="Nn.Initializers.IsJaxBitExact"/> is false (the recurrent cells' default <c>orthogonal()</c>).
    /// </summary>
    /// <param name="key">The <c>params</c> stream's key.</param>
    /// <param name="input">The input.</param>
    /// <param name="options">The threefry mode and RNG separator; null for the defaults.</param>
    /// <param name="cancellationToken">Stops a long run (between scan steps); checked before anything runs.</param>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public InitReport<TOut> InitWithReport(PrngKey key, TIn input, LinenOptions? options = null, CancellationToken cancellationToken = default) =>
        InitWithReport(new Dictionary<string, PrngKey>(StringComparer.Ordinal) { ["params"] = key }, input, options, cancellationToken);

    /// <summary><see cref="InitWithReport(PrngKey, TIn, LinenOptions?, CancellationToken)"/> with named RNG streams.</summary>
    /// <param name="rngs">The streams; keys are used unchanged.</param>
    /// <param name="input">The input.</param>
    /// <param name="options">The threefry mode and RNG separator; null for the defaults.</param>
    /// <param name="cancellationToken">Stops a long run (between scan steps); checked before anything runs.</param>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public InitReport<TOut> InitWithReport(IReadOnlyDictionary<string, PrngKey> rngs, TIn input, LinenOptions? options = null, CancellationToken cancellationToken = default) =>
        InitWithReport(rngs, input, options, Call, cancellationToken);

    private InitReport<TOut> InitWithReport(IReadOnlyDictionary<string, PrngKey> rngs, TIn input, LinenOptions? options, Func<Scope, TIn, TOut> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rngs);
        cancellationToken.ThrowIfCancellationRequested();
        var store = new VariableStore(Variables.Empty, mutable: true, initializing: true) { Cancellation = cancellationToken };
        TOut output = call(Scope.CreateRoot(store, rngs, ClassName, options ?? LinenOptions.Default), input);
        return new InitReport<TOut>(output, store.Root, [.. store.NotJaxBits]);
    }

    /// <summary>
    /// Flax's <c>model.apply(variables, x)</c>: runs the module with every collection immutable, so each param must
    /// exist with the shape the module asks for. It makes no RNG key unless the module asks for one explicitly.
    /// </summary>
    /// <param name="variables">The variables <c>Init</c> returned, such as <c>{"params": {...}}</c>.</param>
    /// <param name="input">The input.</param>
    /// <param name="options">The threefry mode and RNG separator; null for the defaults.</param>
    /// <exception cref="ApplyScopeInvalidVariablesStructureError">The variables are <c>{"params": {"params": ...}}</c>.</exception>
    /// <exception cref="ApplyScopeInvalidVariablesTypeError">A top-level entry is an array rather than a collection.</exception>
    /// <exception cref="ScopeParamNotFoundError">A param is missing.</exception>
    /// <exception cref="ScopeParamShapeError">A param has another shape than the module asks for.</exception>
    /// <param name="cancellationToken">Stops a long run (between scan steps); checked before anything runs.</param>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public TOut Apply(Variables variables, TIn input, LinenOptions? options = null, CancellationToken cancellationToken = default) =>
        Apply(variables, input, null, options, cancellationToken);

    /// <summary>Flax's <c>model.apply(variables, x, rngs=...)</c>: as <see cref="Apply(Variables, TIn, LinenOptions?, CancellationToken)"/>, with RNG streams for modules that ask for keys (dropout, say).</summary>
    /// <param name="variables">The variables <c>Init</c> returned.</param>
    /// <param name="input">The input.</param>
    /// <param name="rngs">The streams, or null for none.</param>
    /// <param name="options">The threefry mode and RNG separator; null for the defaults.</param>
    /// <param name="cancellationToken">Stops a long run (between scan steps); checked before anything runs.</param>
    /// <exception cref="ApplyScopeInvalidVariablesStructureError">The variables are <c>{"params": {"params": ...}}</c>.</exception>
    /// <exception cref="ApplyScopeInvalidVariablesTypeError">A top-level entry is an array rather than a collection.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public TOut Apply(Variables variables, TIn input, IReadOnlyDictionary<string, PrngKey>? rngs, LinenOptions? options = null, CancellationToken cancellationToken = default) =>
        Apply(variables, input, rngs, options, Call, cancellationToken);

    /// <summary><c>apply</c> running <paramref name="call"/> in place of <see cref="Call(Scope, TIn)"/> (see <see cref="InitWithOutput(IReadOnlyDictionary{string, PrngKey}, TIn, LinenOptions?, Func{Scope, TIn, TOut}, CancellationToken)"/>).</summary>
    private protected TR Apply<TR>(Variables variables, TIn input, IReadOnlyDictionary<string, PrngKey>? rngs, LinenOptions? options, Func<Scope, TIn, TR> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(variables);
        cancellationToken.ThrowIfCancellationRequested();

        // Flax's apply guesses that a "params" entry inside "params" is a doubled level, before checking types.
        if (variables.TryGetDict(["params"], out Variables? parameters) && parameters.ContainsKey("params"))
        {
            throw new ApplyScopeInvalidVariablesStructureError(variables);
        }

        foreach (VariableEntry collection in variables)
        {
            if (collection.IsLeaf)
            {
                throw new ApplyScopeInvalidVariablesTypeError(collection.Key);
            }
        }

        var store = new VariableStore(variables, mutable: false, initializing: false) { Cancellation = cancellationToken };
        return call(Scope.CreateRoot(store, rngs, ClassName, options ?? LinenOptions.Default), input);
    }

    /// <summary>
    /// The module's computation, Flax's <c>@compact __call__</c>: make params with <paramref name="scope"/>'s
    /// <see cref="Scope.Param"/> and run submodules with <see cref="Scope.Call{TIn, TOut}"/>. Called by <c>Init</c>,
    /// <c>Apply</c> and a parent's <see cref="Scope.Call{TIn, TOut}"/>, never directly.
    /// </summary>
    /// <param name="scope">This module's scope for this run.</param>
    /// <param name="input">The input.</param>
    protected abstract TOut Call(Scope scope, TIn input);

    internal TOut Invoke(Scope scope, TIn input) => Call(scope, input);
}

/// <summary>What an init run gives back: its output, the variables, and the params that are not JAX's bits.</summary>
/// <typeparam name="TOut">The module's output type.</typeparam>
/// <param name="Output">The output of the init run.</param>
/// <param name="Variables">The variables init made.</param>
/// <param name="NotJaxBits">
/// The paths (<c>params/cell/hi/kernel</c>) of the params made by an initializer that does not reproduce JAX's bits
/// (<see cref="Nn.Initializers.Orthogonal"/>); empty when every param is JAX's.
/// </param>
public sealed record InitReport<TOut>(TOut Output, Variables Variables, IReadOnlyList<string> NotJaxBits);
