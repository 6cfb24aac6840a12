using static TorchSharp.torch;

namespace D2L.Rnn;

/// <summary>The recurrent cells the library knows, one per <see cref="CellKind"/>.</summary>
internal static class Cells
{
    private static readonly RecurrentCell[] All = [new RnnCell(), new GruCell(), new LstmCell()];

    /// <summary>The cell of <paramref name="kind"/>; an unknown kind is an error, never a stand-in.</summary>
    public static RecurrentCell Of(CellKind kind) =>
        All.FirstOrDefault(c => c.Kind == kind)
        ?? throw new ArgumentOutOfRangeException(nameof(kind), kind, $"Unknown cell kind; the library knows {string.Join(", ", All.Select(c => c.Kind))}.");

    /// <summary>The cell that builds modules like <paramref name="layer"/>, or null when none does.</summary>
    public static RecurrentCell? Of(nn.Module layer) => All.FirstOrDefault(c => c.Builds(layer));

    /// <summary>The names readers know of every cell, for messages ("nn.RNN, nn.GRU or nn.LSTM").</summary>
    public static string ModuleNames => string.Join(", ", All[..^1].Select(c => $"nn.{c.Name}")) + $" or nn.{All[^1].Name}";
}
