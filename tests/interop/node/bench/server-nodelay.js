'use strict';
// Preloaded (NODE_OPTIONS=--require) only by the shim benchmark's --node-nodelay run: turns off Nagle's algorithm on the sockets
// a Node server accepts (grpc-js sets TCP_NODELAY on the connections it dials, not on those it accepts), to show
// how much of the Node chaincode's per-transaction time is Nagle delay rather than shim work.
const net = require('net');

const emit = net.Server.prototype.emit;
net.Server.prototype.emit = function (event, socket, ...rest) {
    if (event === 'connection' && socket && typeof socket.setNoDelay === 'function') socket.setNoDelay(true);
    return emit.call(this, event, socket, ...rest);
};
