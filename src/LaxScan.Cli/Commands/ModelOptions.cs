using System.CommandLine;
using LaxScan.Cli.Parsing;

namespace LaxScan.Cli.Commands;

/// <summary>The options of the model commands <c>run</c> and <c>params</c>.</summary>
internal static class ModelOptions
{
    /// <summary><c>--hidden H</c>, required.</summary>
    public static Option<int?> Hidden()
    {
        Option<int?> hidden = CliOptions.Create<int>("--hidden", "H", "H: the size of x, of the hidden state and of each side of W (at least 1). Required.", CliValues.TryParseInt32);
        hidden.Required = true;
        return hidden;
    }
}
