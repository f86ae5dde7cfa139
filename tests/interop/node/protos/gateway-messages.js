'use strict';
// Wire-compatibility oracle for our hand-written gateway.proto and google/rpc/status.proto.
// Uses the official @hyperledger/fabric-protos (0.3.7) messages.
//
//   node gateway-messages.js encode  -> stdout: {"<proto name>": {"bytes": base64, "fields": toObject()}}
//                                       one populated instance of every gateway message and google.rpc.Status
//   node gateway-messages.js decode  <- stdin:  {"<proto name>": base64}
//                                    -> stdout: {"<proto name>": {"bytes": base64 re-serialized, "fields": toObject()}}

const { gateway, common, peer, orderer, google } = require('@hyperledger/fabric-protos');
const { Any } = require('google-protobuf/google/protobuf/any_pb.js');

const TYPES = {
    'gateway.EndorseRequest': gateway.EndorseRequest,
    'gateway.EndorseResponse': gateway.EndorseResponse,
    'gateway.SubmitRequest': gateway.SubmitRequest,
    'gateway.SubmitResponse': gateway.SubmitResponse,
    'gateway.SignedCommitStatusRequest': gateway.SignedCommitStatusRequest,
    'gateway.CommitStatusRequest': gateway.CommitStatusRequest,
    'gateway.CommitStatusResponse': gateway.CommitStatusResponse,
    'gateway.EvaluateRequest': gateway.EvaluateRequest,
    'gateway.EvaluateResponse': gateway.EvaluateResponse,
    'gateway.SignedChaincodeEventsRequest': gateway.SignedChaincodeEventsRequest,
    'gateway.ChaincodeEventsRequest': gateway.ChaincodeEventsRequest,
    'gateway.ChaincodeEventsResponse': gateway.ChaincodeEventsResponse,
    'gateway.ErrorDetail': gateway.ErrorDetail,
    'gateway.ProposedTransaction': gateway.ProposedTransaction,
    'gateway.PreparedTransaction': gateway.PreparedTransaction,
    'google.rpc.Status': google.rpc.Status,
};

const bytes = (text) => new Uint8Array(Buffer.from(text, 'utf8'));

function signedProposal(tag) {
    const m = new peer.SignedProposal();
    m.setProposalBytes(bytes(`proposal-bytes-${tag}`));
    m.setSignature(bytes(`proposal-signature-${tag}`));
    return m;
}

function envelope(tag) {
    const m = new common.Envelope();
    m.setPayload(bytes(`envelope-payload-${tag}`));
    m.setSignature(bytes(`envelope-signature-${tag}`));
    return m;
}

function chaincodeEvent(tag) {
    const m = new peer.ChaincodeEvent();
    m.setChaincodeId(`chaincode-${tag}`);
    m.setTxId(`tx-${tag}`);
    m.setEventName(`event-${tag}`);
    m.setPayload(bytes(`event-payload-${tag}`));
    return m;
}

function errorDetail(tag) {
    const m = new gateway.ErrorDetail();
    m.setAddress(`peer${tag}.example.com:7051`);
    m.setMspId(`Org${tag}MSP`);
    m.setMessage(`chaincode response 500, failure ${tag}`);
    return m;
}

function build() {
    const endorseRequest = new gateway.EndorseRequest();
    endorseRequest.setTransactionId('tx-endorse');
    endorseRequest.setChannelId('channel-endorse');
    endorseRequest.setProposedTransaction(signedProposal('endorse'));
    endorseRequest.setEndorsingOrganizationsList(['Org1MSP', 'Org2MSP', 'Org3MSP']);

    const endorseResponse = new gateway.EndorseResponse();
    endorseResponse.setPreparedTransaction(envelope('endorsed'));

    const submitRequest = new gateway.SubmitRequest();
    submitRequest.setTransactionId('tx-submit');
    submitRequest.setChannelId('channel-submit');
    submitRequest.setPreparedTransaction(envelope('submit'));

    const commitStatusRequest = new gateway.CommitStatusRequest();
    commitStatusRequest.setTransactionId('tx-status');
    commitStatusRequest.setChannelId('channel-status');
    commitStatusRequest.setIdentity(bytes('serialized-identity-status'));

    const signedCommitStatusRequest = new gateway.SignedCommitStatusRequest();
    signedCommitStatusRequest.setRequest(commitStatusRequest.serializeBinary());
    signedCommitStatusRequest.setSignature(bytes('status-signature'));

    const commitStatusResponse = new gateway.CommitStatusResponse();
    commitStatusResponse.setResult(peer.TxValidationCode.MVCC_READ_CONFLICT);
    commitStatusResponse.setBlockNumber(1234567890123);

    const evaluateRequest = new gateway.EvaluateRequest();
    evaluateRequest.setTransactionId('tx-evaluate');
    evaluateRequest.setChannelId('channel-evaluate');
    evaluateRequest.setProposedTransaction(signedProposal('evaluate'));
    evaluateRequest.setTargetOrganizationsList(['Org2MSP', 'Org3MSP']);

    const response = new peer.Response();
    response.setStatus(404);
    response.setMessage('not found: asset9');
    response.setPayload(bytes('evaluate-result'));
    const evaluateResponse = new gateway.EvaluateResponse();
    evaluateResponse.setResult(response);

    const seekSpecified = new orderer.SeekSpecified();
    seekSpecified.setNumber(987654321);
    const startPosition = new orderer.SeekPosition();
    startPosition.setSpecified(seekSpecified);
    const chaincodeEventsRequest = new gateway.ChaincodeEventsRequest();
    chaincodeEventsRequest.setChannelId('channel-events');
    chaincodeEventsRequest.setChaincodeId('chaincode-events');
    chaincodeEventsRequest.setIdentity(bytes('serialized-identity-events'));
    chaincodeEventsRequest.setStartPosition(startPosition);
    chaincodeEventsRequest.setAfterTransactionId('tx-after');

    const signedChaincodeEventsRequest = new gateway.SignedChaincodeEventsRequest();
    signedChaincodeEventsRequest.setRequest(chaincodeEventsRequest.serializeBinary());
    signedChaincodeEventsRequest.setSignature(bytes('events-signature'));

    const chaincodeEventsResponse = new gateway.ChaincodeEventsResponse();
    chaincodeEventsResponse.setEventsList([chaincodeEvent('a'), chaincodeEvent('b')]);
    chaincodeEventsResponse.setBlockNumber(42);

    const proposedTransaction = new gateway.ProposedTransaction();
    proposedTransaction.setTransactionId('tx-proposed');
    proposedTransaction.setProposal(signedProposal('proposed'));
    proposedTransaction.setEndorsingOrganizationsList(['Org1MSP', 'Org3MSP']);

    const preparedTransaction = new gateway.PreparedTransaction();
    preparedTransaction.setTransactionId('tx-prepared');
    preparedTransaction.setEnvelope(envelope('prepared'));

    const status = new google.rpc.Status();
    status.setCode(10);
    status.setMessage('failed to endorse transaction, see attached details for more info');
    status.setDetailsList(['1', '2'].map((tag) => {
        const any = new Any();
        any.pack(errorDetail(tag).serializeBinary(), 'gateway.ErrorDetail');
        return any;
    }));

    return {
        'gateway.EndorseRequest': endorseRequest,
        'gateway.EndorseResponse': endorseResponse,
        'gateway.SubmitRequest': submitRequest,
        'gateway.SubmitResponse': new gateway.SubmitResponse(),
        'gateway.SignedCommitStatusRequest': signedCommitStatusRequest,
        'gateway.CommitStatusRequest': commitStatusRequest,
        'gateway.CommitStatusResponse': commitStatusResponse,
        'gateway.EvaluateRequest': evaluateRequest,
        'gateway.EvaluateResponse': evaluateResponse,
        'gateway.SignedChaincodeEventsRequest': signedChaincodeEventsRequest,
        'gateway.ChaincodeEventsRequest': chaincodeEventsRequest,
        'gateway.ChaincodeEventsResponse': chaincodeEventsResponse,
        'gateway.ErrorDetail': errorDetail('3'),
        'gateway.ProposedTransaction': proposedTransaction,
        'gateway.PreparedTransaction': preparedTransaction,
        'google.rpc.Status': status,
    };
}

function describe(message) {
    return { bytes: Buffer.from(message.serializeBinary()).toString('base64'), fields: message.toObject() };
}

function encode() {
    const out = {};
    for (const [name, message] of Object.entries(build())) out[name] = describe(message);
    return out;
}

function decode(input) {
    const out = {};
    for (const [name, base64] of Object.entries(input)) {
        const type = TYPES[name];
        if (!type) throw new Error(`unknown message type ${name}`);
        out[name] = describe(type.deserializeBinary(new Uint8Array(Buffer.from(base64, 'base64'))));
    }
    return out;
}

async function readStdin() {
    const chunks = [];
    for await (const chunk of process.stdin) chunks.push(chunk);
    return Buffer.concat(chunks).toString('utf8');
}

async function main() {
    const mode = process.argv[2];
    if (mode === 'encode') {
        process.stdout.write(JSON.stringify(encode()));
    } else if (mode === 'decode') {
        process.stdout.write(JSON.stringify(decode(JSON.parse(await readStdin()))));
    } else {
        throw new Error('usage: node gateway-messages.js encode|decode');
    }
}

main().catch((err) => {
    process.stderr.write(`${err.stack || err}\n`);
    process.exit(1);
});
