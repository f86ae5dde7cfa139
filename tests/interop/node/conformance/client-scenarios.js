'use strict';
// The official Fabric Gateway client against one peer of the embedded network. Runs one scenario
// (argv[2]) on chaincode CHAINCODE of channel CHANNEL and prints what it observed as JSON; the C# test
// decides whether that is right. The chaincode (C# or Node) offers Put, Get, Increment, Fail and Emit.
const { setting, runWithGateway, text } = require('./gateway-connection');

const scenarios = {
    // submit, evaluate, submitAsync + commit status, a failing endorsement, chaincode events from a block.
    async basics(gateway) {
        const contract = gateway.getNetwork(setting('CHANNEL')).getContract(setting('CHAINCODE'));
        const key = setting('KEY');
        const put = text(await contract.submitTransaction('Put', key, 'hello'));
        const get = text(await contract.evaluateTransaction('Get', key));

        const submitted = await contract.submitAsync('Increment', { arguments: [`${key}-counter`] });
        const status = await submitted.getStatus();
        const increment = {
            result: text(submitted.getResult()),
            transactionId: submitted.getTransactionId(),
            status: { code: status.code, successful: status.successful, blockNumber: status.blockNumber, transactionId: status.transactionId },
        };

        let failure;
        try {
            await contract.submitTransaction('Fail', 'deliberate failure');
            failure = { thrown: false };
        } catch (error) {
            failure = {
                thrown: true,
                name: error.constructor.name,
                code: error.code,
                message: error.message,
                transactionId: error.transactionId,
                details: (error.details ?? []).map((d) => ({ address: d.address, mspId: d.mspId, message: d.message })),
            };
        }

        const payload = `payload-${key}`;
        const emitted = await contract.submitAsync('Emit', { arguments: ['conformance.event', payload] });
        const emittedStatus = await emitted.getStatus();
        const events = await gateway.getNetwork(setting('CHANNEL')).getChaincodeEvents(setting('CHAINCODE'), { startBlock: status.blockNumber });
        let event;
        try {
            for await (const e of events) {
                if (e.transactionId !== emitted.getTransactionId()) continue;
                event = { chaincodeName: e.chaincodeName, eventName: e.eventName, payload: text(e.payload), transactionId: e.transactionId, blockNumber: e.blockNumber };
                break;
            }
        } finally {
            events.close();
        }
        return {
            put, get, increment, failure,
            emit: { transactionId: emitted.getTransactionId(), blockNumber: emittedStatus.blockNumber, code: emittedStatus.code, payload },
            event,
        };
    },

    // Two read-modify-writes of one key, both endorsed before either is submitted: Fabric lets one commit.
    async conflict(gateway) {
        const contract = gateway.getNetwork(setting('CHANNEL')).getContract(setting('CHAINCODE'));
        const key = setting('KEY');
        await contract.submitTransaction('Put', key, '5');
        const first = await contract.newProposal('Increment', { arguments: [key] }).endorse();
        const second = await contract.newProposal('Increment', { arguments: [key] }).endorse();
        const commits = await Promise.all([first.submit(), second.submit()]);
        const statuses = await Promise.all(commits.map((c) => c.getStatus()));
        return {
            endorsedResults: [text(first.getResult()), text(second.getResult())],
            transactions: statuses.map((s) => ({ transactionId: s.transactionId, code: s.code, successful: s.successful, blockNumber: s.blockNumber })),
            finalValue: text(await contract.evaluateTransaction('Get', key)),
        };
    },

    // The query system chaincode through the Gateway, decoded with the official protos: the chain's height, every
    // block by number, a block by hash and by transaction id, a transaction by id (KEY holds its id), and the errors for a
    // block and a transaction that do not exist.
    async qscc(gateway) {
        const { common, peer } = require('@hyperledger/fabric-protos');
        const channel = setting('CHANNEL');
        const qscc = gateway.getNetwork(channel).getContract('qscc');
        const hex = (bytes) => Buffer.from(bytes).toString('hex');
        const info = common.BlockchainInfo.deserializeBinary(await qscc.evaluateTransaction('GetChainInfo', channel));
        const blocks = [];
        for (let n = 0; n < info.getHeight(); n++) {
            const block = common.Block.deserializeBinary(await qscc.evaluateTransaction('GetBlockByNumber', channel, String(n)));
            const header = block.getHeader();
            const data = block.getData().getDataList_asU8();
            const dataHash = require('crypto').createHash('sha256').update(Buffer.concat(data.map((d) => Buffer.from(d)))).digest('hex');
            blocks.push({ number: header.getNumber(), previousHash: hex(header.getPreviousHash_asU8()), dataHash: hex(header.getDataHash_asU8()), computedDataHash: dataHash, transactions: data.length });
        }
        const byHash = common.Block.deserializeBinary(await qscc.evaluateTransaction('GetBlockByHash', channel, info.getPreviousblockhash_asU8()));
        const txId = setting('KEY');
        const processed = peer.ProcessedTransaction.deserializeBinary(await qscc.evaluateTransaction('GetTransactionByID', channel, txId));
        const payload = common.Payload.deserializeBinary(processed.getTransactionenvelope().getPayload_asU8());
        const channelHeader = common.ChannelHeader.deserializeBinary(payload.getHeader().getChannelHeader_asU8());
        const byTxId = common.Block.deserializeBinary(await qscc.evaluateTransaction('GetBlockByTxID', channel, txId));
        const failure = async (fn, ...args) => {
            try {
                await qscc.evaluateTransaction(fn, channel, ...args);
                return { thrown: false };
            } catch (error) {
                return { thrown: true, name: error.constructor.name, code: error.code, details: (error.details ?? []).map((d) => d.message) };
            }
        };
        return {
            height: info.getHeight(),
            currentBlockHash: hex(info.getCurrentblockhash_asU8()),
            previousBlockHash: hex(info.getPreviousblockhash_asU8()),
            blocks,
            byHashNumber: byHash.getHeader().getNumber(),
            transaction: { txId: channelHeader.getTxId(), validationCode: processed.getValidationcode() },
            byTxIdNumber: byTxId.getHeader().getNumber(),
            missingBlock: await failure('GetBlockByNumber', String(info.getHeight() + 100)),
            missingTransaction: await failure('GetTransactionByID', 'no-such-transaction'),
        };
    },

    // One block with its private data through the official client's getBlockAndPrivateDataEvents (KEY holds the block
    // number), decoded with the official protos: each transaction's private writes by namespace and collection.
    async privateBlock(gateway) {
        const { ledger } = require('@hyperledger/fabric-protos');
        const events = await gateway.getNetwork(setting('CHANNEL')).getBlockAndPrivateDataEvents({ startBlock: BigInt(setting('KEY')) });
        try {
            for await (const item of events) {
                const privateData = [];
                item.getPrivateDataMapMap().forEach((tx, seq) => {
                    for (const ns of tx.getNsPvtRwsetList()) {
                        for (const collection of ns.getCollectionPvtRwsetList()) {
                            const set = ledger.rwset.kvrwset.KVRWSet.deserializeBinary(collection.getRwset_asU8());
                            privateData.push({
                                txSeq: Number(seq),
                                namespace: ns.getNamespace(),
                                collection: collection.getCollectionName(),
                                writes: set.getWritesList().map((w) => ({ key: w.getKey(), value: text(w.getValue_asU8()), isDelete: w.getIsDelete() })),
                            });
                        }
                    }
                });
                return { number: Number(item.getBlock().getHeader().getNumber()), privateData };
            }
        } finally {
            events.close();
        }
        return { number: -1, privateData: [] };
    },
};

const scenario = scenarios[process.argv[2]];
if (!scenario) {
    process.stderr.write(`usage: node client-scenarios.js <${Object.keys(scenarios).join('|')}>\n`);
    process.exit(2);
}
runWithGateway(scenario).catch((error) => {
    process.stderr.write(`${error.stack ?? error}\n${JSON.stringify(error.details ?? [])}\n`);
    process.exit(1);
});
