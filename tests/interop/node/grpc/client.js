'use strict';
// A grpc-js client running the interop scenarios against a server of the test service and printing
// one JSON line per scenario with what it observed; the C# test decides whether that is right.
// Usage: node client.js --target 127.0.0.1:<port> [--tls <pem dir>] [--mtls] [--gzip] --scenarios a,b,c
const fs = require('fs');
const path = require('path');
const { grpc, definition, message, decodeStatusDetails } = require('./echo-service');

const args = process.argv.slice(2);
const option = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const flag = (name) => args.includes(name);

function credentials() {
    const dir = option('--tls');
    if (!dir) return grpc.credentials.createInsecure();
    const read = (f) => fs.readFileSync(path.join(dir, f));
    return flag('--mtls')
        ? grpc.credentials.createSsl(read('ca.pem'), read('client.key'), read('client.pem'))
        : grpc.credentials.createSsl(read('ca.pem'));
}

const Client = grpc.makeGenericClientConstructor(definition, 'Echo');
const channelOptions = flag('--gzip') ? { 'grpc.default_compression_algorithm': 2 } : {};
const client = new Client(option('--target'), credentials(), channelOptions);

const failure = (error) => ({ code: error.code, details: error.details });
const unary = (request, { metadata = new grpc.Metadata(), deadline, on = client } = {}) =>
    new Promise((resolve, reject) => {
        const call = on.Unary(request, metadata, deadline ? { deadline } : {}, (error, reply) => (error ? reject(error) : resolve(reply)));
        unary.last = call;
    });
const observe = (reply) => ({
    txid: reply.getTxid(),
    payloadLength: reply.getPayload_asU8().length,
    xtest: Buffer.from(reply.getProposal()?.getSignature_asU8() ?? []).toString(),
    cert: Buffer.from(reply.getProposal()?.getProposalBytes_asU8() ?? []).toString(),
});

const scenarios = {
    async unary() {
        const metadata = new grpc.Metadata();
        metadata.set('x-test', 'from-node');
        return observe(await unary(message('tx1', 'payload'), { metadata }));
    },
    async 'server-stream'() {
        const txids = [];
        const call = client.ServerStream(message('s', 'p', 5));
        for await (const m of call) txids.push(m.getTxid());
        return { txids };
    },
    async bidi() {
        const call = client.Duplex();
        const txids = [];
        const done = new Promise((resolve, reject) => {
            call.on('data', (m) => txids.push(m.getTxid()));
            call.on('end', resolve);
            call.on('error', reject);
        });
        for (let i = 0; i < 10; i++) call.write(message(`m${i}`));
        call.end();
        await done;
        return { txids };
    },
    async 'bidi-pingpong'() {
        const call = client.Duplex();
        const txids = [];
        const replies = [];
        let wake = null;
        call.on('data', (m) => { replies.push(m); if (wake) wake(); });
        for (let i = 0; i < 5; i++) {
            call.write(message(`p${i}`));
            while (replies.length === 0) await new Promise((r) => { wake = r; });
            txids.push(replies.shift().getTxid());
        }
        call.end();
        return { txids };
    },
    // The cancellation scenarios wait for a first message, so the server's handler has surely started.
    async deadline() {
        const started = Date.now();
        const call = client.ServerStream(message('hang:deadline', '', 1), new grpc.Metadata(), { deadline: Date.now() + 1500 });
        try {
            for await (const _ of call) { /* the handler has started; now it hangs until the deadline */ }
            return { code: 0 };
        } catch (e) {
            return { ...failure(e), elapsedMs: Date.now() - started };
        }
    },
    async cancel() {
        const call = client.ServerStream(message('hang:cancel', '', 1));
        try {
            for await (const _ of call) call.cancel();
            return { code: 0 };
        } catch (e) { return failure(e); }
    },
    async 'bidi-cancel'() {
        const call = client.Duplex();
        const outcome = new Promise((resolve) => {
            call.on('data', () => call.cancel());
            call.on('error', (e) => resolve(failure(e)));
            call.on('end', () => resolve({ code: 0 }));
        });
        call.write(message('hang:bidi-cancel'));
        return outcome;
    },
    async 'server-cancel'() {
        try { await unary(message('cancel')); return { code: 0 }; } catch (e) { return failure(e); }
    },
    async status() {
        try { await unary(message('fail:9:Ungültig: 100% — ☃ %41')); return { code: 0 }; } catch (e) { return failure(e); }
    },
    async details() {
        try {
            await unary(message('details:10:failed to endorse'));
            return { code: 0 };
        } catch (e) {
            const bin = e.metadata.get('grpc-status-details-bin')[0];
            return { ...failure(e), statusDetails: bin ? decodeStatusDetails(bin) : null };
        }
    },
    async unimplemented() {
        const Missing = grpc.makeGenericClientConstructor({ Missing: { ...definition.Unary, path: '/cashtransfer.test.Echo/Missing' } }, 'Missing');
        const other = new Missing(option('--target'), credentials(), channelOptions);
        try {
            await new Promise((resolve, reject) => other.Missing(message('x'), (e, r) => (e ? reject(e) : resolve(r))));
            return { code: 0 };
        } catch (e) { return failure(e); } finally { other.close(); }
    },
    async throw() {
        try { await unary(message('throw')); return { code: 0 }; } catch (e) { return failure(e); }
    },
    async 'size-request'() {
        try { await unary(message('big', 'a'.repeat(5 * 1024 * 1024))); return { code: 0 }; } catch (e) { return failure(e); }
    },
    async 'size-response'() {
        const small = new Client(option('--target'), credentials(), { ...channelOptions, 'grpc.max_receive_message_length': 1024 });
        try { await unary(message('big', 'a'.repeat(2000)), { on: small }); return { code: 0 }; } catch (e) { return failure(e); } finally { small.close(); }
    },
    async 'gzip-echo'() {
        return observe(await unary(message('gz', 'a'.repeat(50 * 1000))));
    },
    async 'gzip-over-limit'() {
        try { await unary(message('gz', 'a'.repeat(200 * 1000))); return { code: 0 }; } catch (e) { return failure(e); }
    },
    async concurrent() {
        const replies = await Promise.all(Array.from({ length: 100 }, (_, i) => unary(message(`c${i}`))));
        return { count: replies.length, inOrder: replies.every((r, i) => r.getTxid() === `c${i}`) };
    },
};

(async () => {
    for (const name of option('--scenarios').split(',')) {
        let result;
        try {
            result = await scenarios[name]();
        } catch (e) {
            result = { error: String(e && e.stack ? e.stack : e), ...(e && e.code !== undefined ? failure(e) : {}) };
        }
        console.log(JSON.stringify({ scenario: name, ...result }));
    }
    client.close();
    process.exit(0);
})();
