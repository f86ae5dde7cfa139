using CashTransfer.Pos.Receipts;

namespace CashTransfer.Gateway.Tests.Pos;

/// <summary>A terminal carries ECDSA signing and the API client, not Fabric's protobuf layer.</summary>
public sealed class PosDependencyTests
{
    [Fact]
    public void The_POS_SDK_and_the_API_assemblies_it_loads_do_not_reference_Fabric_Protocol()
    {
        var pos = typeof(ReceiptSigning).Assembly;
        var loaded = new Dictionary<string, System.Reflection.Assembly>();
        var pending = new Stack<System.Reflection.Assembly>([pos]);
        while (pending.TryPop(out var assembly))
        {
            if (!loaded.TryAdd(assembly.GetName().Name!, assembly)) continue;
            foreach (var reference in assembly.GetReferencedAssemblies())
                if (reference.Name!.StartsWith("CashTransfer.", StringComparison.Ordinal) || reference.Name.StartsWith("Fabric.", StringComparison.Ordinal))
                    pending.Push(System.Reflection.Assembly.Load(reference));
        }

        Assert.Contains("Fabric.Ecdsa", loaded.Keys);   // the low-S rule, BCL only
        Assert.DoesNotContain("Fabric.Protocol", loaded.Keys);
    }
}
