// The dashboard's server entry: adapter-node's own server (build/index.js: HOST, PORT, timeouts,
// graceful shutdown), plus one thing. adapter-node 6 takes a request's protocol from the header
// PROTOCOL_HEADER names and otherwise assumes https, so a dashboard served over plain http
// (process mode, Docker on 127.0.0.1) would refuse its own form posts (silences, sign-out) as
// cross-site. When no proxy said otherwise, the protocol is what the socket is.
process.env.PROTOCOL_HEADER ??= 'x-forwarded-proto';
const header = process.env.PROTOCOL_HEADER.toLowerCase();
const { server } = await import('./build/index.js');
server.prependListener('request', (req) => {
  req.headers[header] ??= req.socket.encrypted ? 'https' : 'http';
});
