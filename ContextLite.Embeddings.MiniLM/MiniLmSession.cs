using System.Numerics.Tensors;
using FastBertTokenizer;
using Microsoft.ML.OnnxRuntime;

namespace ContextLite.Embeddings;

/// <summary>
/// One lane of inference: a tokenizer and input buffers over a single-threaded ONNX Runtime session, its own or
/// one shared with other lanes. Not thread-safe: the pool hands a lane to one caller at a time.
/// </summary>
/// <remarks>
/// Sentence-transformers' all-MiniLM-L6-v2 pipeline is BERT → mean pooling over the attention mask → L2
/// normalisation. One text runs per call, so every token is real and the mean is the plain sum over tokens, which
/// normalisation makes the same direction; batching would only add padding work on a CPU.
/// </remarks>
internal sealed class MiniLmSession : IDisposable
{
    private static readonly string[] InputNames = ["input_ids", "attention_mask", "token_type_ids"];
    private static readonly string[] OutputNames = ["last_hidden_state"];

    private readonly InferenceSession _session;
    private readonly bool _ownsSession;
    private readonly RunOptions _runOptions = new();
    private readonly BertTokenizer _tokenizer;
    private readonly long[] _ids;
    private readonly long[] _mask;
    private readonly long[] _types;

    /// <summary>A lane over <paramref name="session"/>, disposing it with the lane when <paramref name="ownsSession"/>.</summary>
    public MiniLmSession(int maxTokens, InferenceSession session, bool ownsSession)
    {
        _ids = new long[maxTokens];
        _mask = new long[maxTokens];
        _types = new long[maxTokens];
        _tokenizer = MiniLmModel.CreateTokenizer();
        _session = session;
        _ownsSession = ownsSession;
    }

    /// <summary>
    /// Loads the model (≈ 0.3 s, 100–300 MB resident) into a session with one intra-op thread and no spinning:
    /// parallelism comes from parallel callers, because ORT's spinning thread pools halve throughput when they
    /// compete for the same cores. Concurrent runs on one session are safe.
    /// </summary>
    public static InferenceSession CreateInferenceSession()
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        options.AddSessionConfigEntry("session.inter_op.allow_spinning", "0");
        return new InferenceSession(MiniLmModel.ReadModel(), options);
    }

    /// <summary>Writes the unit embedding of <paramref name="text"/> (truncated to the token limit) into <paramref name="destination"/>.</summary>
    public void Embed(string text, Span<float> destination)
    {
        int length = _tokenizer.Encode(text, _ids, _mask, _types, padTo: null);
        long[] shape = [1, length];
        using var ids = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _ids.AsMemory(0, length), shape);
        using var mask = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _mask.AsMemory(0, length), shape);
        using var types = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _types.AsMemory(0, length), shape);
        using var outputs = _session.Run(_runOptions, InputNames, [ids, mask, types], OutputNames);

        // last_hidden_state is [1, length, 384]; ONNX Runtime owns it until outputs is disposed.
        ReadOnlySpan<float> hidden = outputs[0].GetTensorDataAsSpan<float>();
        destination.Clear();
        for (int t = 0; t < length; t++)
        {
            TensorPrimitives.Add(destination, hidden.Slice(t * MiniLmModel.Dimensions, MiniLmModel.Dimensions), destination);
        }

        float norm = TensorPrimitives.Norm(destination);
        if (norm > 0)
        {
            TensorPrimitives.Divide(destination, norm, destination);
        }
    }

    public void Dispose()
    {
        if (_ownsSession)
        {
            _session.Dispose();
        }

        _runOptions.Dispose();
    }
}
