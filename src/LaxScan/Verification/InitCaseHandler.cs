using System.Text.Json;
using LaxScan.Nn;

namespace LaxScan.Verification;

/// <summary>
/// <c>init</c>: one <c>jax.nn.initializers.NAME(**kwargs)(key, shape, float32)</c> call. Case fields: <c>name</c>,
/// <c>kwargs</c> (JAX's keyword names), <c>shape</c>, <c>mode</c>, <c>seed</c> or <c>key</c>. Result: <c>f32</c>.
/// </summary>
internal sealed class InitCaseHandler : ICaseHandler
{
    public string Kind => "init";

    public void Check(CaseCheck check)
    {
        BundleCase c = check.Case;
        var options = new InitializerOptions();
        if (c.Has("kwargs"))
        {
            foreach (JsonProperty p in c.Get("kwargs").EnumerateObject())
            {
                options = p.Name switch
                {
                    "stddev" => options with { Stddev = (float)Number(c, p) },
                    "scale" => options with { Scale = Number(c, p) },
                    "value" => options with { Value = (float)Number(c, p) },
                    "lower" => options with { Lower = (float)Number(c, p) },
                    "upper" => options with { Upper = (float)Number(c, p) },
                    "in_axis" => options with { InAxis = Axis(c, p) },
                    "out_axis" => options with { OutAxis = Axis(c, p) },
                    "mode" => options with { Mode = Word(c, p) switch
                    {
                        "fan_in" => FanMode.FanIn,
                        "fan_out" => FanMode.FanOut,
                        "fan_avg" => FanMode.FanAvg,
                        "fan_geo_avg" => FanMode.FanGeoAvg,
                        string w => throw c.Invalid($"kwargs \"mode\" is '{w}'"),
                    } },
                    "distribution" => options with { Distribution = Word(c, p) switch
                    {
                        "truncated_normal" => Distribution.TruncatedNormal,
                        "normal" => Distribution.Normal,
                        "uniform" => Distribution.Uniform,
                        string w => throw new NotSupportedException($"LaxScan has no variance_scaling distribution '{w}'"),
                    } },
                    _ => throw new NotSupportedException($"LaxScan's initializers take no keyword '{p.Name}'"),
                };
            }
        }

        Initializer init = Initializers.ByName(c.String("name"), options, check.Version);
        check.Float32("f32", init(c.Key(), new Shape(c.Shape("shape")), c.Mode()));
    }

    private static double Number(BundleCase c, JsonProperty p) =>
        p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetDouble() : throw c.Invalid($"kwargs \"{p.Name}\" is not a number");

    private static string Word(BundleCase c, JsonProperty p) =>
        p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : throw c.Invalid($"kwargs \"{p.Name}\" is not a string");

    private static int Axis(BundleCase c, JsonProperty p) =>
        p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt32(out int axis)
            ? axis
            : throw new NotSupportedException($"kwargs \"{p.Name}\" is {p.Value}; this handler takes one integer axis");
}
