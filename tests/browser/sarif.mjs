// Validates SARIF logs with Microsoft's SARIF multitool, the checker behind GitHub code
// scanning's own rules (SARIF1004 and the GH rules among them). The multitool always exits 0,
// so this reads its output log and fails on any error or warning it reports.
//
//   node tests/browser/sarif.mjs FILE.sarif [...]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const tool = join(here, 'node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool');
// SARIF2006 fetches every URI in the log; CI has no network, and our URIs are file paths.
const offline = join(here, 'sarif-offline.xml');
// SARIF2005 asks for the tool's home page (`informationUri`); the project has no public
// one, and inventing a URL is worse than leaving it out.
const allowed = new Set(['SARIF2005']);
let failed = 0;
for (const file of process.argv.slice(2)) {
  const out = join(mkdtempSync(join(tmpdir(), 'sarif-')), 'validation.sarif');
  execFileSync(tool, ['validate', file, '-c', offline, '--rule-kind', 'Sarif;Gh',
    '-o', out, '--log', 'ForceOverwrite'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const log = JSON.parse(readFileSync(out, 'utf8'));
  const problems = log.runs.flatMap((run) => (run.results || [])
    .filter((r) => r.level === 'error' || r.level === 'warning' || r.level === undefined)
    .filter((r) => !allowed.has(r.ruleId))
    .map((r) => `${r.level || 'warning'} ${r.ruleId}: ${r.message.text
      || [r.message.id, ...(r.message.arguments || [])].join(' ')}`));
  if (problems.length) {
    failed += 1;
    console.error(`${file}: ${problems.length} problem(s)\n  ${problems.join('\n  ')}`);
  } else {
    console.log(`${file}: valid SARIF (multitool, SARIF and GitHub rules)`);
  }
}
process.exit(failed ? 1 : 0);
