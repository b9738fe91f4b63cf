#!/usr/bin/env node
// Installed entry point: runs the compiled CLI (`npm run build` makes dist/). In the repository, `npm run palisade`
// runs the TypeScript sources directly.
import '../dist/cli/main.js';
