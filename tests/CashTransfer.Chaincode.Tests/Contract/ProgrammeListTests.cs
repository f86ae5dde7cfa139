using Fabric.Shim.Contracts;

namespace CashTransfer.Chaincode.Tests.Contract;

/// <summary><c>Query:ListProgrammes</c>: pages in id order; an operator sees its own agency's programmes, an auditor all.</summary>
public class ProgrammeListTests
{
    [Fact]
    public async Task Programmes_are_listed_in_pages_operators_see_their_own_and_auditors_all()
    {
        var l = await new Ledger().WithRetailers();
        foreach (var id in new[] { "P-a", "P-b", "P-c" }) await l.CreateProgramme(l.WfpOperator, Ledger.Definition(id, 1_000));
        await l.CreateProgramme(l.UnwOperator, Ledger.Definition("P-unw", 1_000));

        var first = (await l.Evaluate(l.Auditor, c => l.Queries.ListProgrammes(c, 2, ""))).Value;
        Assert.Equal(["P-a", "P-b"], first.Items.Select(p => p.ProgrammeId));
        var second = (await l.Evaluate(l.Auditor, c => l.Queries.ListProgrammes(c, 2, first.Bookmark))).Value;
        Assert.Equal(["P-c", "P-unw"], second.Items.Select(p => p.ProgrammeId));

        var unw = (await l.Evaluate(l.UnwOperator, c => l.Queries.ListProgrammes(c, 100, ""))).Value;
        Assert.Equal(["P-unw"], unw.Items.Select(p => p.ProgrammeId));
        Assert.IsType<ChaincodeException>((await l.Evaluate(l.Gateway, c => l.Queries.ListProgrammes(c, 100, ""))).Error);
    }
}
