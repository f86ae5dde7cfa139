'use strict';
// grpc-js echo server for the transport benchmark (benchmarks/Fabric.Grpc.Benchmarks): plain echo,
// no behaviours, so that it does the same work as the C# benchmark server. Prints "PORT <n>".
const { grpc, definition } = require('./echo-service');

const server = new grpc.Server();
server.addService(definition, {
    Unary: (call, callback) => callback(null, call.request),
    ServerStream: (call) => { call.write(call.request); call.end(); },
    Duplex: (call) => {
        call.on('data', (m) => call.write(m));
        call.on('end', () => call.end());
    },
});
server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) => {
    if (error) { console.error(error.message); process.exit(1); }
    console.log(`PORT ${port}`);
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
