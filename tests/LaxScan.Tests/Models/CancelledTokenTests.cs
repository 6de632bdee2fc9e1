using LaxScan.Linen;
using LaxScan.Models;
using LaxScan.Random;
using static LaxScan.Models.LaxScanFunctions;

namespace LaxScan.Tests.Models;

/// <summary>
/// Every long call takes a token, and one that is already cancelled throws <see cref="OperationCanceledException"/>
/// before any work, also when there is no step to run (T = 0, an empty sequence): a token looked at only between
/// steps would let such a call run init, the first product and a whole batch, and return a result.
/// </summary>
public class CancelledTokenTests
{
    private const int Hidden = 4;

    private static readonly PrngKey Key = PrngKey.FromSeed(0);

    private static readonly Lazy<Variables> LaxParams = new(() => Params(Key, Hidden));

    private static readonly Lazy<Variables> RnnParams = new(() => new RecurrentModel(RecurrentCellKind.Lstm, Hidden).Init(Key, 3).Variables);

    /// <summary>A batch of 1000 inputs, so that the first product alone is real work.</summary>
    private static NDArray<float> Batch() => new(new Shape(1000, Hidden), [.. Enumerable.Range(0, 1000 * Hidden).Select(i => MathF.Sin(i))]);

    private static readonly IReadOnlyDictionary<string, Action<CancellationToken>> Calls = new Dictionary<string, Action<CancellationToken>>
    {
        ["LaxScanInModule(seed, span)"] = ct => LaxScanInModule(0, [0.5f, -1f, 0.25f, 2f], Hidden, 0, null, ct),
        ["LaxScanInModule(key, NDArray)"] = ct => LaxScanInModule(Key, Batch(), Hidden, 0, null, ct),
        ["LaxScanInModule(key, span, destination)"] = ct => IntoSentinel(ct, d => LaxScanInModule(Key, Batch().Data, Hidden, 0, d.Data, null, ct)),
        ["LaxScanInModule(key, TensorSpan)"] = ct => IntoSentinel(ct, d => LaxScanInModule(Key, Batch().AsReadOnlyTensorSpan(), Hidden, 0, d.AsTensorSpan(), null, ct)),
        ["Apply(variables, NDArray)"] = ct => LaxScanFunctions.Apply(LaxParams.Value, Batch(), Hidden, 0, null, ct),
        ["Apply(variables, span, destination)"] = ct => IntoSentinel(ct, d => LaxScanFunctions.Apply(LaxParams.Value, Batch().Data, Hidden, 0, d.Data, null, ct)),
        ["Apply(variables, TensorSpan)"] = ct => IntoSentinel(ct, d => LaxScanFunctions.Apply(LaxParams.Value, Batch().AsReadOnlyTensorSpan(), Hidden, 0, d.AsTensorSpan(), null, ct)),
        ["Params(key)"] = ct => Params(Key, Hidden, null, ct),
        ["LaxScanModule.Init"] = ct => new LaxScanModule(Hidden, 0).Init(Key, Batch(), LaxScanRunOptions.Default, null, ct),
        ["LaxScanModule.Apply"] = ct => new LaxScanModule(Hidden, 0).Apply(LaxParams.Value, Batch(), LaxScanRunOptions.Default, null, ct),
        ["Module.InitWithReport"] = ct => new LaxScanModule(Hidden, 0).InitWithReport(Key, Batch(), null, ct),
        ["Module.Apply"] = ct => ((Module<NDArray<float>, NDArray<float>>)new LaxScanModule(Hidden, 0)).Apply(LaxParams.Value, Batch(), null, ct),
        ["Lax.Scan(length: 0)"] = ct => LaxScan.Lax.Scan<NDArray<float>>(c => (c, null), Batch(), 0, cancellationToken: ct),
        ["Lax.Scan(empty xs)"] = ct => LaxScan.Lax.Scan<NDArray<float>>((c, _) => (c, null), Batch(), new NDArray<float>(new Shape(0, Hidden)), cancellationToken: ct),
        ["RecurrentModel.Init"] = ct => new RecurrentModel(RecurrentCellKind.Lstm, Hidden).Init(Key, 3, null, ct),
        ["RecurrentModel.Apply(empty sequence)"] = ct => new RecurrentModel(RecurrentCellKind.Lstm, Hidden).Apply(RnnParams.Value, new NDArray<float>(new Shape(0, 3)), ct),
    };

    public static TheoryData<string> CallNames => [.. Calls.Keys];

    [Theory]
    [MemberData(nameof(CallNames))]
    public void An_already_cancelled_token_throws_even_with_no_step_to_run(string call) =>
        Assert.ThrowsAny<OperationCanceledException>(() => Calls[call](new CancellationToken(canceled: true)));

    [Theory]
    [MemberData(nameof(CallNames))]
    public void The_same_call_with_a_live_token_runs(string call) =>
        Calls[call](TestContext.Current.CancellationToken);

    /// <summary>Runs a call into a destination of NaNs; a cancelled call must leave every NaN, a finished one none.</summary>
    private static void IntoSentinel(CancellationToken cancellationToken, Action<NDArray<float>> call)
    {
        var destination = new NDArray<float>(new Shape(1000, Hidden));
        Array.Fill(destination.Data, float.NaN);
        try
        {
            call(destination);
        }
        finally
        {
            Assert.All(destination.Data, v => Assert.Equal(cancellationToken.IsCancellationRequested, float.IsNaN(v)));
        }
    }
}
