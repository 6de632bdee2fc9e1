using System.CommandLine;
using LaxScan.Cli.Parsing;
using LaxScan.Models;

namespace LaxScan.Cli.Commands;

/// <summary>The options that describe the model for <c>rnn</c> and <c>rnn init</c>: the cell, H and the RNN's shape.</summary>
internal sealed class RnnModelOptions
{
    private RnnModelOptions(Command command)
    {
        Cell = CliOptions.Choice(
            "--cell",
            "The Flax cell: simple (nn.SimpleCell), gru (nn.GRUCell), mgu (nn.MGUCell), lstm (nn.LSTMCell), optimized-lstm (nn.OptimizedLSTMCell). Required.",
            ("simple", RecurrentCellKind.Simple),
            ("gru", RecurrentCellKind.Gru),
            ("mgu", RecurrentCellKind.Mgu),
            ("lstm", RecurrentCellKind.Lstm),
            ("optimized-lstm", RecurrentCellKind.OptimizedLstm));
        Cell.Required = true;
        Hidden = CliOptions.Create<int>("--hidden", "H", "H: the cell's features, the size of each carry part and of each output row (at least 1). Required.", CliValues.TryParseInt32);
        Hidden.Required = true;
        Bidirectional = new Option<bool>("--bidirectional") { Description = "nn.Bidirectional(nn.RNN(cell), nn.RNN(cell)): params under forward_rnn and backward_rnn, outputs concatenated (2H features)." };
        NoResetGate = new Option<bool>("--no-reset-gate") { Description = "MGUCell with reset_gate=False (only with --cell mgu)." };
        Residual = new Option<bool>("--residual") { Description = "SimpleCell with residual=True (only with --cell simple)." };
        foreach (Option option in new Option[] { Cell, Hidden, Bidirectional, NoResetGate, Residual })
        {
            command.Options.Add(option);
        }

        command.Validators.Add(result =>
        {
            // The word as given: GetValue would throw on a word the parser already refused.
            string? cell = result.GetResult(Cell)?.Tokens.LastOrDefault()?.Value;
            if (result.GetValue(NoResetGate) && cell is not null and not "mgu")
            {
                result.AddError("--no-reset-gate is an option of the MGU cell; use it with --cell mgu");
            }

            if (result.GetValue(Residual) && cell is not null and not "simple")
            {
                result.AddError("--residual is an option of the simple cell; use it with --cell simple");
            }
        });
    }

    public Option<RecurrentCellKind?> Cell { get; }

    public Option<int?> Hidden { get; }

    public Option<bool> Bidirectional { get; }

    public Option<bool> NoResetGate { get; }

    public Option<bool> Residual { get; }

    public static RnnModelOptions AddTo(Command command) => new(command);

    /// <summary>The model the options describe.</summary>
    public RecurrentModel GetModel(ParseResult result) => new(result.GetValue(Cell)!.Value, result.GetValue(Hidden)!.Value)
    {
        Bidirectional = result.GetValue(Bidirectional),
        ResetGate = !result.GetValue(NoResetGate),
        Residual = result.GetValue(Residual),
    };
}
