/**
 * What `enospc --probe` does, run inside a lab scenario's namespaces: classify the output the
 * scenario recorded ($LAB_OUT), probe this node (paths from the evidence), print both as JSON.
 */
import { readFileSync } from 'node:fs';
import { classify } from '../../src/index.js';
import { evidencePaths, probe } from '../../src/probe/index.js';

const output = readFileSync(process.env.LAB_OUT ?? '/dev/null', 'utf8');
const paths = evidencePaths(classify(output));
process.stdout.write(JSON.stringify({ paths, probe: probe({ paths }) }));
