using LaxScan.Linen;
using LaxScan.Nn;
using LaxScan.Random;
using LaxScan.Tests.Linen;

namespace LaxScan.Tests.Lax;

/// <summary>
/// The transform level follows the logical flow (issue 10 item 12): a scan body that creates a param on another
/// thread, or after an await that resumes elsewhere, still gets <see cref="JaxTransformError"/>. With a
/// <c>[ThreadStatic]</c> level both were allowed, since the other thread saw depth 0.
/// </summary>
public class TraceContextFlowTests
{
    private static readonly Shape Vec2 = new(2);

    [Fact]
    public void A_param_created_on_another_thread_inside_a_scan_body_is_a_JaxTransformError()
    {
        var model = Probes.Of(scope => LaxScan.Lax.Scan<NDArray<float>>(
            carry =>
            {
                // A thread of its own: a task could be inlined onto the waiting thread and prove nothing.
                Exception? thrown = null;
                var thread = new Thread(() =>
                {
                    try
                    {
                        scope.Param("W", Initializers.Zeros, Vec2);
                    }
                    catch (Exception e)
                    {
                        thrown = e;
                    }
                });
                thread.Start();
                thread.Join();
                if (thrown is not null)
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(thrown).Throw();
                }

                return (carry, null);
            },
            new NDArray<float>(Vec2),
            1));
        var error = Assert.Throws<JaxTransformError>(() => model.Init(PrngKey.FromSeed(0), 0));
        Assert.Equal((0, 1), (error.ScopeDepth, error.CurrentDepth));
        Assert.Equal(0, TraceContext.Depth);
    }

    [Fact]
    public void A_param_created_after_an_await_inside_a_scan_body_is_a_JaxTransformError()
    {
        var model = Probes.Of(scope => LaxScan.Lax.Scan<NDArray<float>>(
            carry =>
            {
                CreateAfterAwait(scope).GetAwaiter().GetResult();
                return (carry, null);
            },
            new NDArray<float>(Vec2),
            1));
        Assert.Throws<JaxTransformError>(() => model.Init(PrngKey.FromSeed(0), 0));
        Assert.Equal(0, TraceContext.Depth);
    }

    [Fact]
    public async Task A_level_entered_in_an_async_method_holds_across_its_awaits_and_ends_with_it()
    {
        Assert.Equal(0, TraceContext.Depth);
        Assert.Equal((1, 1, 0), await DepthsAcrossAwaits());
        Assert.Equal(0, TraceContext.Depth);
    }

    [Fact]
    public void A_level_does_not_leak_to_work_started_outside_it_or_to_other_callers()
    {
        using var inside = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        int seenElsewhere = -1;
        var other = new Thread(() =>
        {
            inside.Wait();
            seenElsewhere = TraceContext.Depth;
            release.Set();
        });
        other.Start();
        using (TraceContext.Enter())
        {
            inside.Set();
            Assert.True(release.Wait(TimeSpan.FromMinutes(1)));
        }

        other.Join();
        Assert.Equal(0, seenElsewhere);
    }

    [Fact]
    public void Creating_params_outside_the_body_after_a_scan_still_works()
    {
        var model = Probes.Returning(scope =>
        {
            LaxScan.Lax.Scan<NDArray<float>>(c => (c, null), new NDArray<float>(Vec2), 3);
            return scope.Param("W", Initializers.Ones, Vec2).Data[0];
        });
        Assert.Equal(1f, model.Init(PrngKey.FromSeed(0), 0).GetFloat32("params", "W").Data[0]);
    }

    private static async Task<(int AfterAwait, int InTask, int AfterLeaving)> DepthsAcrossAwaits()
    {
        int afterAwait, inTask;
        using (TraceContext.Enter())
        {
            await Task.Delay(1).ConfigureAwait(false);
            afterAwait = TraceContext.Depth;
            inTask = await Task.Run(() => TraceContext.Depth).ConfigureAwait(false);
        }

        return (afterAwait, inTask, TraceContext.Depth);
    }

    private static async Task CreateAfterAwait(Scope scope)
    {
        // ConfigureAwait(false): the rest runs on a thread-pool thread, not the scan's.
        await Task.Delay(1).ConfigureAwait(false);
        scope.Param("W", Initializers.Zeros, Vec2);
    }
}
