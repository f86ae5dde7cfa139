'use strict';
// The interop test service, the counterpart of tests/Fabric.Grpc.Tests/Support/EchoService.cs: same
// method paths, same behaviours asked for by the request's txid, Fabric's ChaincodeMessage as payload
// (encoded by @hyperledger/fabric-protos, so the messages themselves are checked too).
const grpc = require('@grpc/grpc-js');
const { peer, gateway, google } = require('@hyperledger/fabric-protos');
const { Any } = require('google-protobuf/google/protobuf/any_pb.js');

const serialize = (message) => Buffer.from(message.serializeBinary());
const deserialize = (bytes) => peer.ChaincodeMessage.deserializeBinary(new Uint8Array(bytes));

function method(name, requestStream, responseStream) {
    return {
        path: `/cashtransfer.test.Echo/${name}`,
        requestStream,
        responseStream,
        requestSerialize: serialize,
        requestDeserialize: deserialize,
        responseSerialize: serialize,
        responseDeserialize: deserialize,
    };
}

const definition = {
    Unary: method('Unary', false, false),
    ServerStream: method('ServerStream', false, true),
    Duplex: method('Duplex', true, true),
};

function message(txid, payload = '', count = 0) {
    const m = new peer.ChaincodeMessage();
    m.setType(peer.ChaincodeMessage.Type.TRANSACTION);
    m.setTxid(txid);
    m.setChannelId(String(count));
    m.setPayload(Buffer.from(payload));
    return m;
}

// The google.rpc.Status a Fabric gateway would send: one gateway.ErrorDetail.
function statusDetails(code, text) {
    const detail = new gateway.ErrorDetail();
    detail.setAddress('peer0.org1:7051');
    detail.setMspId('Org1MSP');
    detail.setMessage('chaincode said no');
    const any = new Any();
    any.pack(detail.serializeBinary(), 'gateway.ErrorDetail');
    const status = new google.rpc.Status();
    status.setCode(code);
    status.setMessage(text);
    status.addDetails(any);
    return Buffer.from(status.serializeBinary());
}

function decodeStatusDetails(buffer) {
    const status = google.rpc.Status.deserializeBinary(new Uint8Array(buffer));
    const details = status.getDetailsList().map((any) => ({
        type: any.getTypeName(),
        message: gateway.ErrorDetail.deserializeBinary(any.getValue_asU8()).getMessage(),
    }));
    return { code: status.getCode(), message: status.getMessage(), details };
}

module.exports = { grpc, definition, message, statusDetails, decodeStatusDetails };
