using CashTransfer.Contracts;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Storage;

namespace CashTransfer.Gateway.Bulk;

/// <summary>
/// An upload's budget reservation on the ledger (<c>Entitlement:ReserveBudget</c>): part k holds what chunk k would
/// issue, and is named by the job's id and the chunk's number. Both calls may be repeated: a part reserved again with the
/// same amount changes nothing, and releasing a reservation without parts changes nothing.
/// </summary>
public sealed class UploadReservation(ILedgerGateway ledger, TimeSpan commitWait, ILogger logger)
{
    /// <summary>
    /// Reserves a part for every chunk; false when the ledger refused (the budget cannot cover the whole upload, or a
    /// chaincode without reservations), after giving back any parts the job reserved before.
    /// </summary>
    public async Task<bool> TryReserveAsync(BulkJob job, LedgerCaller caller, UploadChunks chunks, CancellationToken ct)
    {
        if (chunks.Count - 1 > BudgetReservationRequest.MaxPartNumber) return false;
        for (var first = 0; first < chunks.Count; first += BudgetReservationRequest.MaxParts)
        {
            long[] amounts;
            try
            {
                amounts = Enumerable.Range(first, Math.Min(BudgetReservationRequest.MaxParts, chunks.Count - first)).Select(chunks.TotalOf).ToArray();
            }
            catch (OverflowException)
            {
                return false; // rows whose total does not fit in 64 bits: the chaincode refuses them chunk by chunk
            }
            var request = new BudgetReservationRequest(job.ProgrammeId, job.JobId, first, amounts);
            try
            {
                await ledger.SubmitAndWaitAsync(caller, ChaincodeFunctions.ReserveBudget, [ChaincodeArguments.Json(request)], commitWait, ct);
            }
            catch (ChaincodeRejectedException e)
            {
                logger.LogInformation("Bulk job {JobId} issues its chunks one after another: the ledger refused to reserve their budget (status {Status}: {Error})",
                    job.JobId, e.Status, e.Message);
                // Parts reserved by an earlier request, or before a restart (with another chunk size), would hold budget
                // the chunks now need.
                await ReleaseAsync(job, caller, ct);
                return false;
            }
        }
        return true;
    }

    /// <summary>What the parts issued becomes issued in the programme's budget; the rest returns to it.</summary>
    public async Task ReleaseAsync(BulkJob job, LedgerCaller caller, CancellationToken ct)
    {
        try
        {
            await ledger.SubmitAndWaitAsync(caller, ChaincodeFunctions.ReleaseBudgetReservation, [job.ProgrammeId, job.JobId], commitWait, ct);
        }
        catch (ChaincodeRejectedException e)
        {
            // Nothing is lost: the cap still holds, with the unspent parts counted as reserved until released.
            logger.LogWarning("Bulk job {JobId}: the ledger refused to release its budget reservation (status {Status}: {Error}); what the upload did not issue stays reserved",
                job.JobId, e.Status, e.Message);
        }
    }
}
