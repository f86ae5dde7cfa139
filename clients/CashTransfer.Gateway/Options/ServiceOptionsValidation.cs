using CashTransfer.Contracts;
using Microsoft.Extensions.Options;

namespace CashTransfer.Gateway.Options;

/// <summary>
/// Refuses, at start, settings that would otherwise fail only when used: a chunk size the chaincode refuses would
/// make every row of every upload "Refused", hours after the service was configured.
/// </summary>
public sealed class ServiceOptionsValidation : IValidateOptions<ServiceOptions>
{
    public ValidateOptionsResult Validate(string? name, ServiceOptions options)
    {
        var bulk = options.Bulk;
        var failures = new List<string>();
        if (bulk.ParallelChunks is < 1 or > 64)
            failures.Add($"{ServiceOptions.Section}:Bulk:ParallelChunks must be between 1 and 64; it is {bulk.ParallelChunks}.");
        if (bulk.ChunkSize is < 1 or > EntitlementBatch.MaxGrants)
            failures.Add($"{ServiceOptions.Section}:Bulk:ChunkSize must be between 1 and {EntitlementBatch.MaxGrants} (the most grants the chaincode takes in one transaction); it is {bulk.ChunkSize}.");
        if (bulk.MaxRows < 1)
            failures.Add($"{ServiceOptions.Section}:Bulk:MaxRows must be at least 1; it is {bulk.MaxRows}.");
        if (bulk.CommitWait <= TimeSpan.Zero)
            failures.Add($"{ServiceOptions.Section}:Bulk:CommitWait must be longer than zero; it is {bulk.CommitWait}.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
