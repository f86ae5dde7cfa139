namespace CashTransfer.Chaos.Fuzz;

/// <summary>The size of a fuzzing run. <see cref="Full"/> is `make fuzz`; <see cref="Short"/> runs in `make test`.</summary>
public sealed record FuzzOptions
{
    public long GrpcMessages { get; init; }
    public long RestRequests { get; init; }
    public int Concurrency { get; init; } = 48;
    /// <summary>When set, each phase stops at its share of this budget (protobuf 3/4, REST 1/4) even short of its count; the report says so.</summary>
    public TimeSpan? TimeBudget { get; init; }
    public int Seed { get; init; } = 13;
    /// <summary>The most a part of the stack may hold in memory (resident set) at any sample: beyond it, memory is not bounded.</summary>
    public long MemoryLimitBytes { get; init; } = 1536L * 1024 * 1024;

    public static FuzzOptions Full => new() { GrpcMessages = 1_000_000, RestRequests = 100_000 };
    public static FuzzOptions Short => new() { GrpcMessages = 10_000, RestRequests = 1_000 };
}
