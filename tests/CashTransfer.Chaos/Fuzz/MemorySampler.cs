using CashTransfer.Chaos.Processes;

namespace CashTransfer.Chaos.Fuzz;

/// <summary>Samples each running part's resident set every half second: first, peak and last, and whether a part died.</summary>
public sealed class MemorySampler : IAsyncDisposable
{
    private readonly ProcessStack _stack;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly Dictionary<StackPart, (long First, long Peak, long Last)> _samples = [];

    public MemorySampler(ProcessStack stack)
    {
        _stack = stack;
        _loop = Task.Run(LoopAsync);
    }

    public IReadOnlyDictionary<StackPart, (long First, long Peak, long Last)> Samples { get { lock (_samples) return new Dictionary<StackPart, (long, long, long)>(_samples); } }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            foreach (var part in Enum.GetValues<StackPart>())
            {
                var bytes = _stack.Process(part)?.WorkingSetBytes() ?? 0;
                if (bytes == 0) continue;
                lock (_samples)
                {
                    var (first, peak, _) = _samples.GetValueOrDefault(part, (bytes, 0, 0));
                    _samples[part] = (first, Math.Max(peak, bytes), bytes);
                }
            }
            try { await Task.Delay(500, _stop.Token); }
            catch (OperationCanceledException) { }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
