using System.Text.Json;
using System.Text.Json.Nodes;

namespace Fabric.Shim.Contracts;

/// <summary>
/// The answer to <c>org.hyperledger.fabric:GetMetadata</c>, in the shape fabric-contract-api produces
/// (<c>$schema</c>, <c>contracts</c> with their <c>transactions</c>, <c>info</c>, <c>components.schemas</c>),
/// so that tools written for Fabric's contract metadata read it unchanged.
/// </summary>
internal static class ContractMetadata
{
    public const string SchemaUri = "https://hyperledger.github.io/fabric-chaincode-node/main/api/contract-schema.json";

    public static byte[] Build(IEnumerable<ContractDescriptor> contracts)
    {
        var schemas = new JsonSchemaWriter();
        var contractsJson = new JsonObject();
        foreach (var contract in contracts)
            contractsJson[contract.Name] = Contract(contract, schemas);
        contractsJson[ContractRouter.SystemContractName] = new JsonObject
        {
            ["name"] = ContractRouter.SystemContractName,
            ["contractInstance"] = new JsonObject { ["name"] = ContractRouter.SystemContractName },
            ["transactions"] = new JsonArray(new JsonObject { ["name"] = "GetMetadata", ["tag"] = new JsonArray("EVALUATE") }),
            ["info"] = new JsonObject { ["title"] = "", ["version"] = "" },
        };

        var metadata = new JsonObject
        {
            ["$schema"] = SchemaUri,
            ["contracts"] = contractsJson,
            ["info"] = new JsonObject { ["title"] = "", ["version"] = "" },
            ["components"] = new JsonObject { ["schemas"] = schemas.Components },
        };
        return JsonSerializer.SerializeToUtf8Bytes(metadata, ContractJson.Options);
    }

    private static JsonObject Contract(ContractDescriptor contract, JsonSchemaWriter schemas)
    {
        var instance = new JsonObject { ["name"] = contract.Name };
        if (contract.IsDefault) instance["default"] = true;
        var transactions = new JsonArray();
        foreach (var function in contract.Functions.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            var transaction = new JsonObject
            {
                ["name"] = function.Name,
                ["tag"] = function.Kind == TransactionKind.Submit ? new JsonArray("SUBMIT", "submitTx") : new JsonArray("EVALUATE"),
                ["parameters"] = new JsonArray(function.Parameters.Select(p => (JsonNode)new JsonObject
                {
                    ["name"] = p.Name,
                    ["description"] = "",
                    ["schema"] = schemas.For(p.ParameterType),
                }).ToArray()),
            };
            if (function.ResultType is { } result)
                transaction["returns"] = schemas.For(result);
            transactions.Add(transaction);
        }
        return new JsonObject
        {
            ["name"] = contract.Name,
            ["contractInstance"] = instance,
            ["transactions"] = transactions,
            ["info"] = new JsonObject { ["title"] = contract.Name, ["version"] = "" },
        };
    }
}
