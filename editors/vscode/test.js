// Loads the extension with stand-ins for the `vscode` API and the language client, and
// checks what it asks for: `guideline lsp` over stdio, for Markdown and TOML files, with the
// binary taken from the `guideline.path` setting.
'use strict';

const assert = require('node:assert');
const Module = require('node:module');

const started = [];
const stubs = {
  vscode: {
    workspace: {
      getConfiguration: (section) => ({
        get: (key) => (section === 'guideline' && key === 'path' ? '/opt/bin/guideline' : undefined),
      }),
    },
  },
  'vscode-languageclient/node': {
    TransportKind: { stdio: 0 },
    LanguageClient: class {
      constructor(id, name, server, client) {
        Object.assign(this, { id, name, server, client });
        started.push(this);
      }
      start() { this.running = true; return Promise.resolve(); }
      stop() { this.running = false; return Promise.resolve(); }
    },
  },
};
const load = Module._load;
Module._load = function (request, ...rest) {
  return request in stubs ? stubs[request] : load.call(this, request, ...rest);
};

const extension = require('./extension.js');
const context = { subscriptions: [] };
extension.activate(context).then(() => {
  assert.strictEqual(started.length, 1);
  const c = started[0];
  assert.strictEqual(c.running, true);
  assert.deepStrictEqual(c.server, { command: '/opt/bin/guideline', args: ['lsp'], transport: 0 });
  const selectors = c.client.documentSelector.map((s) => s.language || s.pattern);
  assert.deepStrictEqual(selectors, ['markdown', '**/*.toml']);
  assert.strictEqual(context.subscriptions.length, 1);
  return extension.deactivate();
}).then(() => {
  assert.strictEqual(started[0].running, false);
  console.log('extension: starts `guideline lsp` over stdio for Markdown and TOML: ok');
}).catch((e) => { console.error(e); process.exit(1); });
