import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface SettingReads {
  /** Environment variables read as `process.env.NAME`, `process.env['NAME']`, or through an accessor such as `env('NAME', ...)`. */
  env: string[];
  /** Connection names given to bindings (`connection: 'Name'`), plus AzureWebJobsStorage when storage, timer or Durable bindings rely on it. */
  connections: string[];
}

const envRead = /process\.env(?:\.([A-Za-z_][A-Za-z0-9_]*)|\[\s*(['"`])([^'"`]+)\2\s*\])/g;
const dynamicEnvRead = /process\.env\[\s*([A-Za-z_$][\w$]*)\s*\]/g;
const connection = /\bconnection\s*:\s*(['"`])([^'"`]+)\1/g;
const hostStorageUser = /\b(?:app\.(?:storageBlob|storageQueue|timer)|(?:input|output|trigger)\.(?:storageBlob|storageQueue|table)|df\.app\.\w+|df\.input\.durableClient)\s*\(/;

/** Finds the app settings one TypeScript source reads: env variables and binding connection names. */
export function scanSource(source: string): SettingReads {
  const env = [...source.matchAll(envRead)].map((match) => match[1] ?? match[3]);
  for (const accessor of envAccessors(source)) {
    env.push(...[...source.matchAll(new RegExp(`\\b${accessor}\\(\\s*(['"\`])([^'"\`]+)\\1`, 'g'))].map((match) => match[2]));
  }
  const connections = [...source.matchAll(connection)].map((match) => match[2]);
  if (hostStorageUser.test(source)) connections.push('AzureWebJobsStorage');
  return { env: unique(env), connections: unique(connections) };
}

/** Scans every `.ts` file under a directory (none when it does not exist yet) and merges what they read. */
export function scanDirectory(dir: string): SettingReads {
  const files = existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.ts')) : [];
  const reads = files.map((name) => scanSource(readFileSync(path.join(dir, name), 'utf8')));
  return { env: unique(reads.flatMap((read) => read.env)), connections: unique(reads.flatMap((read) => read.connections)) };
}

/** Names of functions that read `process.env[param]` for their first parameter, e.g. `function env(name) { process.env[name] }`. */
function envAccessors(source: string): string[] {
  return [...source.matchAll(dynamicEnvRead)].flatMap((read) => {
    const before = source.slice(0, read.index);
    const definitions = [...before.matchAll(new RegExp(`(?:function\\s+([\\w$]+)|([\\w$]+)\\s*=\\s*(?:async\\s*)?)\\s*\\(\\s*${read[1]}\\b`, 'g'))];
    const last = definitions.at(-1);
    return last ? [last[1] ?? last[2]] : [];
  });
}

function unique(names: string[]): string[] {
  return [...new Set(names)].sort();
}
