'use strict';
// A grpc-js server of the interop test service. Prints "PORT <n>" once listening and
// "CANCELLED <txid>" whenever a call it serves is cancelled (by the client or by the deadline).
// Usage: node server.js [--tls <pem dir>] [--mtls] [--gzip] [--max-receive <bytes>]
const fs = require('fs');
const path = require('path');
const { grpc, definition, statusDetails } = require('./echo-service');

const args = process.argv.slice(2);
const option = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const flag = (name) => args.includes(name);

const serverOptions = {};
if (flag('--gzip')) serverOptions['grpc.default_compression_algorithm'] = 2;
if (option('--max-receive')) serverOptions['grpc.max_receive_message_length'] = Number(option('--max-receive'));

function reply(request, call) {
    const out = request.clone();
    const proposal = new (require('@hyperledger/fabric-protos').peer.SignedProposal)();
    const cert = call.getAuthContext().sslPeerCertificate;
    proposal.setProposalBytes(Buffer.from(cert && cert.subject ? `CN=${cert.subject.CN}` : ''));
    proposal.setSignature(Buffer.from(String(call.metadata.get('x-test')[0] || '')));
    out.setProposal(proposal);
    return out;
}

// Runs the behaviour named by the txid; resolves to an error object to end the call with, or null.
function behave(request, call) {
    const [kind, a, b] = request.getTxid().split(':');
    switch (kind) {
        case 'sleep':
            return new Promise((resolve) => setTimeout(() => resolve(null), Number(a)));
        case 'hang':
            return new Promise(() => {});
        case 'fail':
            return Promise.resolve({ code: Number(a), details: request.getTxid().split(':').slice(2).join(':') });
        case 'details': {
            const metadata = new grpc.Metadata();
            metadata.set('grpc-status-details-bin', statusDetails(Number(a), b));
            return Promise.resolve({ code: Number(a), details: b, metadata });
        }
        case 'cancel':
            return Promise.resolve({ code: grpc.status.CANCELLED, details: 'cancelled by the server' });
        default:
            return Promise.resolve(null);
    }
}

function watchCancel(call, request) {
    call.on('cancelled', () => console.log(`CANCELLED ${request ? request.getTxid() : 'stream'}`));
}

const handlers = {
    Unary(call, callback) {
        watchCancel(call, call.request);
        behave(call.request, call).then((error) => (error ? callback(error) : callback(null, reply(call.request, call))));
    },
    ServerStream(call) {
        watchCancel(call, call.request);
        const count = Number(call.request.getChannelId());
        for (let i = 0; i < count; i++) {
            const m = call.request.clone();
            m.setTxid(`${call.request.getTxid()}-${i}`);
            call.write(m);
        }
        behave(call.request, call).then((error) => (error ? call.emit('error', error) : call.end()));
    },
    Duplex(call) {
        watchCancel(call, null);
        let chain = Promise.resolve();
        call.on('data', (request) => {
            // Echo first, then behave: a client sees that the handler has started before it hangs or fails.
            chain = chain.then(() => call.write(reply(request, call))).then(() => behave(request, call)).then((error) => {
                if (error) call.emit('error', error);
            });
        });
        call.on('end', () => chain.then(() => call.end()));
    },
};

function credentials() {
    const dir = option('--tls');
    if (!dir) return grpc.ServerCredentials.createInsecure();
    const read = (f) => fs.readFileSync(path.join(dir, f));
    return grpc.ServerCredentials.createSsl(
        flag('--mtls') ? read('ca.pem') : null,
        [{ private_key: read('server.key'), cert_chain: read('server.pem') }],
        flag('--mtls'));
}

const server = new grpc.Server(serverOptions);
server.addService(definition, handlers);
server.bindAsync('127.0.0.1:0', credentials(), (error, port) => {
    if (error) {
        console.error(error.message);
        process.exit(1);
    }
    console.log(`PORT ${port}`);
});
process.stdin.on('end', () => process.exit(0)); // the test closes our stdin when it is done
process.stdin.resume();
