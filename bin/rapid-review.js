#!/usr/bin/env node
// Entry point of the `rapid-review` command: build if needed, then run the compiled CLI.
require('./ensure-build').ensureBuild();
require('../dist/cli/main').main(process.argv.slice(2));
