using System.Text.Json;

namespace LaxScan.Verification;

/// <summary>
/// Where a bundle was made, as far as it says: the JAX version and the CPU, from <c>provenance.json</c> or else from
/// <c>truth.json</c>'s <c>meta</c> (its <c>jax</c> field and the <c>Model name:</c> line of its <c>lscpu</c> text).
/// </summary>
internal sealed class BundleProvenance
{
    private BundleProvenance(string? jax, string? cpu, JsonElement? document)
    {
        JaxVersionText = jax;
        Cpu = cpu;
        Document = document;
    }

    /// <summary>The JAX version the bundle records (<c>jax.__version__</c>), or null.</summary>
    public string? JaxVersionText { get; }

    /// <summary>The CPU model the bundle records, or null.</summary>
    public string? Cpu { get; }

    /// <summary>The whole <c>provenance.json</c>, when the bundle has one.</summary>
    public JsonElement? Document { get; }

    internal static BundleProvenance From(JsonElement? provenance, JsonElement meta)
    {
        string? jax = null;
        string? cpu = null;
        if (provenance is { ValueKind: JsonValueKind.Object } p)
        {
            jax = StringOf(p, "jax");
            if (p.TryGetProperty("cpu", out JsonElement c))
            {
                cpu = c.ValueKind == JsonValueKind.Object ? StringOf(c, "model") : c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            }
        }

        if (meta.ValueKind == JsonValueKind.Object)
        {
            jax ??= StringOf(meta, "jax");
            cpu ??= StringOf(meta, "cpu") ?? ModelName(StringOf(meta, "lscpu"));
        }

        return new BundleProvenance(jax, cpu, provenance);
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
