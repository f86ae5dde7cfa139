namespace CashTransfer.Chaos.Fuzz;

/// <summary>
/// Each fuzzing worker's random seed, derived only from the run's seed, the fuzzer and the worker's number, so that
/// `--seed N` repeats the same inputs in another process (HashCode.Combine is randomised per process and cannot).
/// </summary>
public static class WorkerSeed
{
    public static int For(int runSeed, Fuzzer fuzzer, int worker) => unchecked(runSeed * 1_000_003 + (int)fuzzer * 7_919 + worker);
}

public enum Fuzzer { Grpc = 1, Rest = 2 }
