/**
 * Lets a child process run the project's TypeScript as it is, without a build (`node --require
 * test/security/transpileHook.js file.ts`), as jest's ts-jest does in the parent: each file is
 * transpiled on its own (isolatedModules) and kept in a cache under the system's temporary folder,
 * keyed by its path and content, so the killed and restarted bots of test/security/killNine.test.ts
 * start in about a second instead of transpiling everything again.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const cacheDir = path.join(os.tmpdir(), 'rr-transpiled-ts');
let typescript;

function transpile(source, filename) {
  typescript ??= require('typescript');
  return typescript.transpileModule(source, {
    fileName: filename,
    compilerOptions: {
      module: typescript.ModuleKind.CommonJS,
      target: typescript.ScriptTarget.ES2022,
      esModuleInterop: true,
      inlineSourceMap: true,
    },
  }).outputText;
}

require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  const key = crypto.createHash('sha256').update(`${filename}\0${source}`).digest('hex');
  const cached = path.join(cacheDir, `${key}.js`);
  let output;
  try {
    output = fs.readFileSync(cached, 'utf8');
  } catch {
    output = transpile(source, filename);
    fs.mkdirSync(cacheDir, { recursive: true });
    // Written aside then renamed: bots starting at once never read half a file.
    const partial = `${cached}.${process.pid}`;
    fs.writeFileSync(partial, output);
    fs.renameSync(partial, cached);
  }
  module._compile(output, filename);
};
