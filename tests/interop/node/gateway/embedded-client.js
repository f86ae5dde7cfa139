// Drives the embedded network with the official Fabric Gateway client (@hyperledger/fabric-gateway).
// Environment: PEER_ADDRESS (host:port), SERVER_NAME (TLS host name), TLS_ROOT_CERT (file), MSP_ID, CERT_PATH (file), KEY_PATH (file), CHANNEL, CHAINCODE
// (the same names as conformance/gateway-connection.js, so that the C# side builds them in one place).
// Prints one JSON line with what it observed; the C# test checks it.
'use strict';
const fs = require('node:fs');
const crypto = require('node:crypto');
const grpc = require('@grpc/grpc-js');
const { connect, signers } = require('@hyperledger/fabric-gateway');

async function main() {
    const env = process.env;
    const client = new grpc.Client(env.PEER_ADDRESS, grpc.credentials.createSsl(fs.readFileSync(env.TLS_ROOT_CERT)),
        { 'grpc.ssl_target_name_override': env.SERVER_NAME });
    const gateway = connect({
        client,
        identity: { mspId: env.MSP_ID, credentials: fs.readFileSync(env.CERT_PATH) },
        signer: signers.newPrivateKeySigner(crypto.createPrivateKey(fs.readFileSync(env.KEY_PATH))),
        evaluateOptions: () => ({ deadline: Date.now() + 30000 }),
        endorseOptions: () => ({ deadline: Date.now() + 30000 }),
        submitOptions: () => ({ deadline: Date.now() + 30000 }),
        commitStatusOptions: () => ({ deadline: Date.now() + 30000 }),
    });
    const result = {};
    try {
        const network = gateway.getNetwork(env.CHANNEL);
        const contract = network.getContract(env.CHAINCODE);
        result.submit = Buffer.from(await contract.submitTransaction('put', 'node-key', 'node-value')).toString();
        result.evaluate = Buffer.from(await contract.evaluateTransaction('get', 'node-key')).toString();

        const proposal = contract.newProposal('put', { arguments: ['node-key2', 'v2'] });
        const transaction = await proposal.endorse();
        const commit = await transaction.submit();
        const status = await commit.getStatus();
        result.commit = { code: status.code, successful: status.successful, blockNumber: Number(status.blockNumber), txId: transaction.getTransactionId() };

        const events = await network.getChaincodeEvents(env.CHAINCODE, { startBlock: status.blockNumber });
        try {
            for await (const event of events) {
                result.event = { name: event.eventName, txId: event.transactionId, blockNumber: Number(event.blockNumber), payload: Buffer.from(event.payload).toString() };
                break;
            }
        } finally {
            events.close();
        }

        try {
            await contract.submitTransaction('fail', 'node-key');
        } catch (err) {
            result.endorseError = { name: err.name, code: err.code, details: (err.details || []).map(d => ({ address: d.address, mspId: d.mspId, message: d.message })) };
        }
    } finally {
        gateway.close();
        client.close();
    }
    console.log(JSON.stringify(result));
}

main().catch(err => { console.error(err && err.stack || err); process.exit(1); });
