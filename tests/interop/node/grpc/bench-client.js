'use strict';
// grpc-js side of the transport benchmark: unary calls/s with N calls in flight, then duplex
// messages/s on one stream, each for a fixed time. Prints one JSON line.
// Usage: node bench-client.js --target 127.0.0.1:<port> --seconds 2 --concurrency 32
const { grpc, definition, message } = require('./echo-service');

const args = process.argv.slice(2);
const option = (name, fallback) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : fallback; };
const seconds = Number(option('--seconds', '2'));
const concurrency = Number(option('--concurrency', '32'));
const warmup = Number(option('--warmup', '0.5'));

const Client = grpc.makeGenericClientConstructor(definition, 'Echo');
const client = new Client(option('--target'), grpc.credentials.createInsecure());
const request = message('bench', 'x'.repeat(100));

async function unaryRate(duration) {
    let count = 0;
    const end = Date.now() + duration * 1000;
    const worker = async () => {
        while (Date.now() < end) {
            await new Promise((resolve, reject) => client.Unary(request, (e) => (e ? reject(e) : resolve())));
            count++;
        }
    };
    const started = process.hrtime.bigint();
    await Promise.all(Array.from({ length: concurrency }, worker));
    return count / (Number(process.hrtime.bigint() - started) / 1e9);
}

function duplexRate(duration) {
    return new Promise((resolve, reject) => {
        const call = client.Duplex();
        let received = 0;
        let sent = 0;
        let open = true;
        const started = process.hrtime.bigint();
        call.on('data', () => { received++; pump(); });
        call.on('error', reject);
        call.on('end', () => resolve(received / (Number(process.hrtime.bigint() - started) / 1e9)));
        setTimeout(() => { open = false; call.end(); }, duration * 1000);
        // Keeps at most 256 messages in flight, as the C# side does.
        function pump() {
            while (open && sent - received < 256) { sent++; if (!call.write(request)) { call.once('drain', pump); return; } }
        }
        pump();
    });
}

(async () => {
    await unaryRate(warmup);
    const unary = await unaryRate(seconds);
    const duplex = await duplexRate(seconds);
    console.log(JSON.stringify({ unary, duplex }));
    client.close();
    process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
