// Prints a `web-ext lint --output json` report and fails on any error (warnings are shown only).
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
for (const m of [...report.errors, ...report.warnings]) console.log(`  ${m._type}: ${m.code} ${m.file ?? ''} ${m.message}`);
console.log(`web-ext lint: ${report.errors.length} errors, ${report.warnings.length} warnings, ${report.notices.length} notices`);
process.exit(report.errors.length ? 1 : 0);
