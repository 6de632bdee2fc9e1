using System.Security.Cryptography;
using System.Text.Json;

namespace LaxScan.Verification;

/// <summary>
/// A reference bundle: a folder that a JAX run wrote with <c>cases.json</c> (the case list), <c>truth.json</c>
/// (<c>{"meta": {...}, "results": {id: {...}}}</c>, float32 results as uint32 bit patterns) and, from
/// <c>reference/jax/capture.py</c>, <c>provenance.json</c> (versions, CPU, flags, and a sha256 of each data file).
/// </summary>
/// <remarks>The format is described in <c>reference/jax/README.md</c>.</remarks>
internal sealed class ReferenceBundle
{
    private readonly Dictionary<string, CaseTruth> _results;

    private ReferenceBundle(string path, IReadOnlyList<BundleCase> cases, Dictionary<string, CaseTruth> results, BundleProvenance provenance)
    {
        Path = path;
        Cases = cases;
        _results = results;
        Provenance = provenance;
    }

    /// <summary>The folder the bundle was read from.</summary>
    public string Path { get; }

    /// <summary>The cases, in the order of <c>cases.json</c>.</summary>
    public IReadOnlyList<BundleCase> Cases { get; }

    /// <summary>Where and with what the bundle was made.</summary>
    public BundleProvenance Provenance { get; }

    /// <summary>JAX's result for a case, or null when the run did not reach it.</summary>
    public CaseTruth? ResultOf(string caseId) => _results.GetValueOrDefault(caseId);

    /// <summary>Reads a bundle folder and checks it against the schema and, when it has one, its <c>provenance.json</c> hashes.</summary>
    /// <param name="path">The bundle's folder.</param>
    /// <exception cref="ReferenceBundleException">The folder is not a readable bundle; the message says what is wrong.</exception>
    public static ReferenceBundle Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (File.Exists(path))
        {
            throw new ReferenceBundleException($"bundle '{path}' is a file; give the bundle's folder, which holds cases.json and truth.json");
        }

        if (!Directory.Exists(path))
        {
            throw new ReferenceBundleException($"bundle '{path}': no such folder");
        }

        string casesPath = System.IO.Path.Combine(path, "cases.json");
        string truthPath = System.IO.Path.Combine(path, "truth.json");
        string provenancePath = System.IO.Path.Combine(path, "provenance.json");
        foreach (string required in new[] { casesPath, truthPath })
        {
            if (!File.Exists(required))
            {
                throw new ReferenceBundleException($"bundle '{path}' has no {System.IO.Path.GetFileName(required)}; a bundle holds cases.json (the case list) and truth.json (JAX's results)");
            }
        }

        byte[] casesBytes = ReadAll(path, casesPath);
        byte[] truthBytes = ReadAll(path, truthPath);
        JsonElement? provenance = File.Exists(provenancePath) ? Parse(path, provenancePath, ReadAll(path, provenancePath)) : null;
        if (provenance is { } p)
        {
            CheckHashes(path, p, new Dictionary<string, byte[]> { ["cases.json"] = casesBytes, ["truth.json"] = truthBytes });
        }

        JsonElement casesJson = Parse(path, casesPath, casesBytes);
        JsonElement truthJson = Parse(path, truthPath, truthBytes);
        List<BundleCase> cases = ReadCases(path, casesJson);
        (JsonElement meta, Dictionary<string, CaseTruth> results) = ReadTruth(path, truthJson);
        return new ReferenceBundle(path, cases, results, BundleProvenance.From(provenance, meta));
    }

    private static byte[] ReadAll(string bundle, string file)
    {
        try
        {
            return File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ReferenceBundleException($"bundle '{bundle}': cannot read {System.IO.Path.GetFileName(file)}: {e.Message}", e);
        }
    }

    private static JsonElement Parse(string bundle, string file, byte[] bytes)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 64 });
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new ReferenceBundleException($"bundle '{bundle}': {System.IO.Path.GetFileName(file)} is not valid JSON ({e.Message})", e);
        }
    }

    private static void CheckHashes(string bundle, JsonElement provenance, Dictionary<string, byte[]> files)
    {
        if (!provenance.TryGetProperty("files", out JsonElement listed) || listed.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach ((string name, byte[] bytes) in files)
        {
            if (!listed.TryGetProperty(name, out JsonElement entry) || !entry.TryGetProperty("sha256", out JsonElement hash) || hash.ValueKind != JsonValueKind.String)
            {
                continue;
            }

            string actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
            if (!string.Equals(actual, hash.GetString(), StringComparison.OrdinalIgnoreCase))
            {
                throw new ReferenceBundleException($"bundle '{bundle}': {name} does not match the sha256 in provenance.json ({hash.GetString()}, the file has {actual}); the bundle was changed or damaged after it was made");
            }
        }
    }

    private static List<BundleCase> ReadCases(string bundle, JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Array)
        {
            throw new ReferenceBundleException($"bundle '{bundle}': cases.json is not a list of cases");
        }

        var cases = new List<BundleCase>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int index = -1;
        foreach (JsonElement c in json.EnumerateArray())
        {
            index++;
            if (c.ValueKind != JsonValueKind.Object
                || !c.TryGetProperty("id", out JsonElement id) || id.ValueKind != JsonValueKind.String
                || !c.TryGetProperty("kind", out JsonElement kind) || kind.ValueKind != JsonValueKind.String)
            {
                throw new ReferenceBundleException($"bundle '{bundle}': cases.json[{index}] is not an object with a string \"id\" and \"kind\"");
            }

            if (!seen.Add(id.GetString()!))
            {
                throw new ReferenceBundleException($"bundle '{bundle}': the case id '{id.GetString()}' appears twice in cases.json");
            }

            cases.Add(new BundleCase(id.GetString()!, kind.GetString()!, c));
        }

        return cases;
    }

    private static (JsonElement Meta, Dictionary<string, CaseTruth> Results) ReadTruth(string bundle, JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object || !json.TryGetProperty("results", out JsonElement results) || results.ValueKind != JsonValueKind.Object)
        {
            throw new ReferenceBundleException($"bundle '{bundle}': truth.json is not an object with \"results\" (and \"meta\")");
        }

        var map = new Dictionary<string, CaseTruth>(StringComparer.Ordinal);
        foreach (JsonProperty r in results.EnumerateObject())
        {
            if (r.Value.ValueKind != JsonValueKind.Object)
            {
                throw new ReferenceBundleException($"bundle '{bundle}': the result of case '{r.Name}' in truth.json is not an object");
            }

            map[r.Name] = new CaseTruth(r.Name, r.Value);
        }

        JsonElement meta = json.TryGetProperty("meta", out JsonElement m) && m.ValueKind == JsonValueKind.Object ? m : default;
        return (meta, map);
    }
}
