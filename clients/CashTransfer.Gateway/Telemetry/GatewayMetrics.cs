using System.Diagnostics.Metrics;

namespace CashTransfer.Gateway.Telemetry;

/// <summary>The gateway's metrics (meter <c>CashTransfer.Gateway</c>), exported through OpenTelemetry when an OTLP endpoint is set.</summary>
public sealed class GatewayMetrics : IDisposable
{
    public const string MeterName = "CashTransfer.Gateway";

    private readonly Meter _meter;
    private readonly Counter<long> _received, _outcomes, _ledgerFailures, _replays, _anomalies, _events, _claims;
    private readonly Histogram<double> _submitSeconds, _phaseSeconds;

    public GatewayMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _received = _meter.CreateCounter<long>("cashtransfer.receipts.received", "{receipt}", "Receipts stored in the outbox");
        _outcomes = _meter.CreateCounter<long>("cashtransfer.receipts.finished", "{receipt}", "Receipts committed or rejected, by status");
        _ledgerFailures = _meter.CreateCounter<long>("cashtransfer.ledger.failures", "{failure}", "Failed ledger calls, by kind");
        _replays = _meter.CreateCounter<long>("cashtransfer.idempotency.replays", "{request}", "Requests answered from a stored response");
        _anomalies = _meter.CreateCounter<long>("cashtransfer.journal.anomalies", "{anomaly}", "Gaps and forks found in terminal uploads");
        _events = _meter.CreateCounter<long>("cashtransfer.projection.events", "{event}", "Chaincode events applied to the read models");
        _claims = _meter.CreateCounter<long>("cashtransfer.outbox.claims", "{claim}", "Claims of ready receipts from the outbox, by whether they found any");
        _submitSeconds = _meter.CreateHistogram<double>("cashtransfer.receipts.submit_duration", "s", "From the send to the commit status");
        _phaseSeconds = _meter.CreateHistogram<double>("cashtransfer.receipts.phase_duration", "s", "One step of a receipt's submission, by phase");
    }

    public void Received(int count) => _received.Add(count);
    public void Finished(string status) => _outcomes.Add(1, new KeyValuePair<string, object?>("status", status));
    public void LedgerFailure(string kind) => _ledgerFailures.Add(1, new KeyValuePair<string, object?>("kind", kind));
    public void IdempotentReplay() => _replays.Add(1);
    public void Anomaly(string kind) => _anomalies.Add(1, new KeyValuePair<string, object?>("kind", kind));
    public void EventApplied(string name) => _events.Add(1, new KeyValuePair<string, object?>("event", name));
    public void Claimed(int receipts) => _claims.Add(1, new KeyValuePair<string, object?>("found", receipts > 0 ? "some" : "none"));
    public void SubmitDuration(TimeSpan duration) => _submitSeconds.Record(duration.TotalSeconds);
    /// <summary>One step of a receipt's submission (endorse, store-transaction, submit, commit-wait, store-outcome, recheck).</summary>
    public void Phase(string phase, TimeSpan duration) => _phaseSeconds.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("phase", phase));

    public void Dispose() => _meter.Dispose();
}
