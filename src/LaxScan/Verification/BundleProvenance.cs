using System.Text.Json;

namespace LaxScan.Verification;

/// <summary>
/// Where a bundle was made, as far as it says: the jax and jaxlib versions and the CPU, from <c>provenance.json</c> or
/// else from <c>truth.json</c>'s <c>meta</c> (its <c>jax</c> and <c>jaxlib</c> fields and the <c>Model name:</c> line of
/// its <c>lscpu</c> text).
/// </summary>
internal sealed class BundleProvenance
{
    private BundleProvenance(string? jax, string? jaxlib, string? cpu, JsonElement? document)
    {
        JaxVersionText = jax;
        JaxlibVersionText = jaxlib;
        Cpu = cpu;
        Document = document;
    }

    /// <summary>The JAX version the bundle records (<c>jax.__version__</c>), or null.</summary>
    public string? JaxVersionText { get; }

    /// <summary>The jaxlib version the bundle records (<c>jaxlib.__version__</c>), or null.</summary>
    public string? JaxlibVersionText { get; }

    /// <summary>
    /// The version whose rules decide the bits: jaxlib's, since XLA (the compiler whose code gives every float its
    /// bits) ships in jaxlib; jax's when the bundle records no jaxlib. Null when it records neither.
    /// </summary>
    public string? RulesVersionText => JaxlibVersionText ?? JaxVersionText;

    /// <summary>Whether the bundle records a jaxlib version other than its jax version (pip allows a newer jaxlib).</summary>
    public bool JaxlibDiffers => JaxlibVersionText is not null && JaxVersionText is not null && JaxlibVersionText != JaxVersionText;

    /// <summary>The CPU model the bundle records, or null.</summary>
    public string? Cpu { get; }

    /// <summary>The whole <c>provenance.json</c>, when the bundle has one.</summary>
    public JsonElement? Document { get; }

    internal static BundleProvenance From(JsonElement? provenance, JsonElement meta)
    {
        string? jax = null;
        string? jaxlib = null;
        string? cpu = null;
        if (provenance is { ValueKind: JsonValueKind.Object } p)
        {
            jax = StringOf(p, "jax");
            jaxlib = StringOf(p, "jaxlib");
            if (p.TryGetProperty("cpu", out JsonElement c))
            {
                cpu = c.ValueKind == JsonValueKind.Object ? StringOf(c, "model") : c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            }
        }

        if (meta.ValueKind == JsonValueKind.Object)
        {
            jax ??= StringOf(meta, "jax");
            jaxlib ??= StringOf(meta, "jaxlib");
            cpu ??= StringOf(meta, "cpu") ?? ModelName(StringOf(meta, "lscpu"));
        }

        return new BundleProvenance(jax, jaxlib, cpu, provenance);
    }

    private static string? StringOf(JsonElement o, string name) =>
        o.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s : null;

    /// <summary>The value of lscpu's <c>Model name:</c> line.</summary>
    private static string? ModelName(string? lscpu)
    {
        if (lscpu is null)
        {
            return null;
        }

        foreach (string line in lscpu.Split('\n'))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line[..colon].Trim() == "Model name")
            {
                return line[(colon + 1)..].Trim();
            }
        }

        return null;
    }
}
