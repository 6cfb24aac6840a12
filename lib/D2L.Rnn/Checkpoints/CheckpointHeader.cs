using System.Text.Json.Serialization;

namespace D2L.Rnn;

/// <summary>The JSON header of a checkpoint file: what is needed to rebuild the model and its vocabulary.</summary>
internal sealed record CheckpointHeader(CellKind Kind, int VocabSize, int NumHiddens, int NumLayers, Nonlinearity Nonlinearity,
    string[] Tokens, Dictionary<string, string> Notes);

// Source-generated serialization: works where reflection-based JSON is turned off (trimmed and AOT apps, and .NET 10
// file-based apps, which default to those settings). Version 1 headers have no Nonlinearity: it reads as Tanh.
[JsonSourceGenerationOptions(UseStringEnumConverter = true)]
[JsonSerializable(typeof(CheckpointHeader))]
internal sealed partial class CheckpointJson : JsonSerializerContext;
