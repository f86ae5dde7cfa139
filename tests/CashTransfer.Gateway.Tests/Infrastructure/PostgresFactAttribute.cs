namespace CashTransfer.Gateway.Tests.Infrastructure;

/// <summary>
/// A fact that runs against a real PostgreSQL server named by the environment variable
/// <c>CASHTRANSFER_TEST_POSTGRES</c> (an Npgsql connection string; <c>make postgres-test-up</c> starts one), and
/// reports as skipped, with the reason, when the variable is not set.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public const string Variable = "CASHTRANSFER_TEST_POSTGRES";

    public PostgresFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
            Skip = $"No PostgreSQL server: set {Variable} to an Npgsql connection string (make postgres-test-up starts a throwaway one).";
    }

    public static string? ConnectionString => Environment.GetEnvironmentVariable(Variable);
}
