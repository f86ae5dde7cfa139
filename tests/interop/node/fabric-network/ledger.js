'use strict';
// Reads what the ledger recorded about a transaction (through the peer's qscc system chaincode):
// its validation code and the MSP ids of the peers that endorsed it.
const { common, msp, peer } = require('@hyperledger/fabric-protos');

const VALIDATION_NAMES = Object.fromEntries(
    Object.entries(peer.TxValidationCode).map(([name, code]) => [code, name]),
);

function validationName(code) {
    return VALIDATION_NAMES[code] ?? `code ${code}`;
}

async function recordedTransaction(network, transactionId) {
    const qscc = network.getContract('qscc');
    const bytes = await qscc.evaluateTransaction('GetTransactionByID', network.getName(), transactionId);
    const processed = peer.ProcessedTransaction.deserializeBinary(bytes);
    const payload = common.Payload.deserializeBinary(processed.getTransactionenvelope().getPayload_asU8());
    const transaction = peer.Transaction.deserializeBinary(payload.getData_asU8());
    const action = peer.ChaincodeActionPayload.deserializeBinary(transaction.getActionsList()[0].getPayload_asU8());
    const endorsers = action.getAction().getEndorsementsList().map(
        (e) => msp.SerializedIdentity.deserializeBinary(e.getEndorser_asU8()).getMspid(),
    );
    return { validation: validationName(processed.getValidationcode()), endorsers };
}

module.exports = { recordedTransaction, validationName };
