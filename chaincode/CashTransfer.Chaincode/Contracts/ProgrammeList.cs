using CashTransfer.Chaincode.Access;
using CashTransfer.Chaincode.Domain;
using CashTransfer.Chaincode.Ledger;
using CashTransfer.Contracts;
using Fabric.Shim.Contracts;

namespace CashTransfer.Chaincode.Contracts;

public sealed partial class QueryContract
{
    /// <summary>
    /// Programmes in id order, one page at a time: an operator sees its own agency's, an auditor every agency's.
    /// A page may hold fewer than <paramref name="pageSize"/> programmes when it skipped other agencies'; the bookmark
    /// says whether more follow.
    /// </summary>
    [Transaction(TransactionKind.Evaluate)]
    public Task<Page<Programme>> ListProgrammes(Context ctx, int pageSize, string bookmark)
    {
        var role = Caller.Require(ctx, Role.Operator, Role.Auditor);
        string? onlyAgency = role == Role.Operator ? ctx.ClientIdentity.MspId : null;
        return new LedgerStore(ctx).PageAsync(Keys.Programme, [], pageSize, bookmark, kv =>
        {
            var p = LedgerJson.Deserialize<Programme>(kv.Value);
            return Task.FromResult(onlyAgency is null || p.OwnerMsp == onlyAgency ? p : null);
        });
    }
}
