// A thin client: it starts `guideline lsp` (stdio) for the workspace and leaves everything
// else (diagnostics, quick fixes, hover, definition, completion) to the server.
'use strict';

const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

function serverOptions() {
  const command = vscode.workspace.getConfiguration('guideline').get('path') || 'guideline';
  return { command, args: ['lsp'], transport: TransportKind.stdio };
}

const clientOptions = {
  // Chapters are Markdown; metadata, the registry and the glossary are TOML.
  documentSelector: [
    { scheme: 'file', language: 'markdown' },
    { scheme: 'file', pattern: '**/*.toml' },
  ],
};

function activate(context) {
  client = new LanguageClient('guideline', 'Guideline', serverOptions(), clientOptions);
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate, serverOptions, clientOptions };
