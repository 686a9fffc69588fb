#!/usr/bin/env node
// The installed CLI runs the compiled JavaScript in dist/ (`npm run build`); no TypeScript
// loader in production. In a checkout without a build, `npm run pc-verify -- …` runs the sources.
const entry = new URL('../dist/src/cli.js', import.meta.url);
try {
  await import(entry.href);
} catch (error) {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes(entry.pathname)) {
    process.stderr.write(
      'pc-verify: the compiled CLI (dist/) is missing. In a checkout, run `npm run build` first, ' +
        'or `npm run pc-verify -- <command>` to run the TypeScript sources.\n',
    );
    process.exit(2);
  }
  throw error;
}
