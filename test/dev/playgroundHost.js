#!/usr/bin/env node
// Runs the Microsoft 365 Agents Playground for `npm run dev` and the browser tests, as a child
// process with the playground's own command-line options (--app-endpoint, --port, --service-url,
// --disable-telemetry).
//
// Why not its own `agentsplayground` command: that wrapper exits on any uncaught exception, which
// on a machine without network (telemetry, update checks) stops it right after "Listening on".
// Here an uncaught exception is logged and the playground keeps serving. It runs in its own process
// so this handler never hides a crash of the bot.
//
// Plain JavaScript so the same file runs from the built tree and under ts-jest.
const http = require('node:http');

process.on('uncaughtException', (error) => {
  process.stderr.write(`agents playground: ${error && error.message ? error.message : String(error)}\n`);
});
process.on('unhandledRejection', (error) => {
  process.stderr.write(`agents playground: ${error && error.message ? error.message : String(error)}\n`);
});

// The playground listens on every interface; it drives the bot's unauthenticated local endpoint, so
// keep it on loopback like the bot itself (a listen(port, callback) call gets the host added).
const listen = http.Server.prototype.listen;
http.Server.prototype.listen = function listenOnLoopback(...args) {
  if (typeof args[0] === 'number' && (args.length === 1 || typeof args[1] === 'function')) {
    return listen.call(this, args[0], '127.0.0.1', ...args.slice(1));
  }
  return listen.apply(this, args);
};

require('@microsoft/m365agentsplayground/dist').start();
