/** Node-side fixture loading for the parity suite. */
import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {gunzipSync} from 'node:zlib';
import {decodeFixture, type Fixture} from './core';

export const FIXTURE_DIR = join(__dirname, '..', 'fixtures');

if (typeof globalThis.atob !== 'function') {
  (globalThis as {atob?: (s: string) => string}).atob = (s: string) => Buffer.from(s, 'base64').toString('binary');
}

export function fixtureFiles(): string[] {
  return readdirSync(FIXTURE_DIR)
    .filter(f => f.endsWith('.json.gz'))
    .sort();
}

export function loadFixture(file: string): Fixture {
  return decodeFixture(JSON.parse(gunzipSync(readFileSync(join(FIXTURE_DIR, file))).toString('utf8')));
}
