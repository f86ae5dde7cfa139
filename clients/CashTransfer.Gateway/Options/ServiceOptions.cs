using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Storage;

namespace CashTransfer.Gateway.Options;

/// <summary>The gateway's settings, section <c>CashTransfer</c> of appsettings.json or environment variables (<c>CashTransfer__Storage__Provider=Postgres</c>).</summary>
public sealed class ServiceOptions
{
    public const string Section = "CashTransfer";

    /// <summary>Where the SQLite database, uploads and result files live.</summary>
    public string DataDirectory { get; set; } = ".data/gateway";

    /// <summary>The agency (MSP id) that runs this gateway: terminals' receipts are submitted with its gateway identity.</summary>
    public string AgencyMsp { get; set; } = "Org1MSP";

    public StorageOptions Storage { get; set; } = new();

    /// <summary>Operators and auditors with the public keys that sign their requests; terminals are registered through the API.</summary>
    public List<ClientOptions> Clients { get; set; } = [];

    public IntakeOptions Intake { get; set; } = new();

    public SubmitterOptions Submitter { get; set; } = new();

    public ProjectionOptions Projection { get; set; } = new();

    public BulkOptions Bulk { get; set; } = new();

    public IdempotencyOptions Idempotency { get; set; } = new();

    /// <summary>Key for the keyed hashes that stand for beneficiaries in logs; a random one per process when empty.</summary>
    public string? LogHashKey { get; set; }

    /// <summary>OTLP endpoint for metrics (e.g. http://collector:4317); none when empty.</summary>
    public string? OtlpEndpoint { get; set; }
}

/// <summary>A client that signs its requests: key id (e.g. <c>operator/wfp-1</c>), role, agency and ECDSA P-256 public key (PEM).</summary>
public sealed class ClientOptions
{
    public string KeyId { get; set; } = "";
    public ClientRole Role { get; set; }
    public string AgencyMsp { get; set; } = "";
    public string PublicKeyPem { get; set; } = "";
}

public sealed class IntakeOptions
{
    /// <summary>Most receipts in one uploaded batch.</summary>
    public int MaxBatchReceipts { get; set; } = 1000;

    /// <summary>
    /// Largest request body, except on endpoints with their own limit (entitlement uploads: 256 MiB). A batch of 1,000
    /// receipts is about 0.5 MB; a peer refuses messages over a few MB, so a larger field must fail here with 413.
    /// </summary>
    public long MaxBodyBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>
    /// Largest body accepted without the signed <c>X-CashTransfer-Content-SHA256</c> header; a larger body must announce
    /// its hash, so that a bad signature is refused before the body is read.
    /// </summary>
    public long MaxUnhashedBodyBytes { get; set; } = 64 * 1024;

    /// <summary>How far a signed request's timestamp may be from the gateway's clock.</summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long an online redemption waits for the ledger's outcome before answering 202 with a status link.</summary>
    public TimeSpan OnlineWait { get; set; } = TimeSpan.FromSeconds(10);
}

public sealed class SubmitterOptions
{
    public bool Enabled { get; set; } = true;
    /// <summary>Most receipts an instance holds claimed at once (working on them, or waiting for an earlier competing receipt); terminals take turns in a claim.</summary>
    public int BatchSize { get; set; } = 1000;
    /// <summary>
    /// Most receipts at the ledger at once (endorsing, submitting or waiting for their commit; storing a receipt's
    /// transaction or outcome takes no turn). Receipts on the same beneficiary or redemption id wait for each other in
    /// journal order; all others go side by side.
    /// </summary>
    public int Concurrency { get; set; } = 64;
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);
    /// <summary>How long a claimed receipt is reserved for this instance; after a crash, others wait this long before taking it over.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(60);
    /// <summary>How long to wait for a commit status before the transaction counts as not (yet) in a block.</summary>
    public TimeSpan CommitWait { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>In-process retries of one idempotent ledger call (endorse, commit status) before the attempt counts as failed.</summary>
    public int RetryAttempts { get; set; } = 2;
    /// <summary>Endorsements of one receipt before it is rejected (conflicts and invalidations count).</summary>
    public int MaxEndorsements { get; set; } = 10;
    public double BreakerFailureRatio { get; set; } = 0.5;
    public int BreakerMinimumThroughput { get; set; } = 4;
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(10);
    public TimeSpan BreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(5);
}

public sealed class ProjectionOptions
{
    public bool Enabled { get; set; } = true;
    public TimeSpan RestartDelay { get; set; } = TimeSpan.FromSeconds(2);
}

public sealed class BulkOptions
{
    public int ChunkSize { get; set; } = 1000;
    /// <summary>
    /// How many chunks of an upload are at the ledger at once. More than one needs a budget reservation for the upload
    /// (chunks that each wrote the programme's budget would conflict); when the budget cannot cover the whole upload, its
    /// chunks go one after another against the budget, so that the rows it covers are still issued.
    /// </summary>
    public int ParallelChunks { get; set; } = 8;
    public long MaxRows { get; set; } = 1_000_000;
    public long MaxUploadBytes { get; set; } = 256L * 1024 * 1024;
    public TimeSpan CommitWait { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>How long Idempotency-Key records are kept, and how often expired ones are purged.</summary>
public sealed class IdempotencyOptions
{
    /// <summary>
    /// From a key's first request: within it a repeat gets the stored response; after it the key is free for a new
    /// request. Clients must not retry a request for longer than this (the POS SDK gives up well before).
    /// </summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How long a running request's claim on its key lasts without renewal; the request renews it every third of this.
    /// After a crash a resend with the same key gets 409 <c>idempotency-in-progress</c> for at most this long, then runs.
    /// </summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the background purger deletes expired records.</summary>
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Records deleted per statement (the purger repeats until none are left).</summary>
    public int PurgeBatchSize { get; set; } = 1000;
}
