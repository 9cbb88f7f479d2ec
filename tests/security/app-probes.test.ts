import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY, startApp } from '../functions/fixtures/app-host';
import { rawRequest } from './raw-http';

// Probes of issue 15 through the local host with the app's real registrations (one host for the file).
const BATCH_MAX_ROWS = 50_000;
const ROW_LIMIT = 64 * 1024;
let app: Awaited<ReturnType<typeof startApp>>;

beforeAll(async () => {
  app = await startApp({ DPS_BATCH_MAX_ROWS: String(BATCH_MAX_ROWS), DPS_CONTRACT_MAX_BYTES: String(64 * 1024), DPS_BATCH_MAX_ROW_BYTES: String(ROW_LIMIT) });
});
afterAll(async () => {
  await app?.host.stop();
});

/** A contract of string columns, with overrides on the first column. */
function contract(dataset: string, columns: string[], first: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return { contractVersion: 1, dataset, columns: columns.map((name, i) => ({ name, type: 'string', ...(i === 0 ? first : {}) })), maxQuarantineRate: 1, ...extra };
}

describe('contracts', () => {
  it('refuses a pattern that needs backtracking with a 400 naming it, and matches catastrophic ones in linear time', async () => {
    const refused = await app.call('PUT', 'datasets/redos/contract', JSON.stringify(contract('redos', ['a', 'b'], { pattern: '(a+)+\\1' })));
    expect(refused.status).toBe(400);
    expect((await refused.json()).error).toContain('$.columns[0].pattern: is not a valid regular expression for RE2: "(a+)+\\\\1"');
    expect((await app.call('PUT', 'datasets/redos/contract', JSON.stringify(contract('redos', ['a', 'b'], { pattern: '(a+)+' })))).status).toBe(200);
    const hostile = Array.from({ length: 3 }, (_, i) => `${'a'.repeat(5_000)}!,${i}`).join('\n');
    const run = await app.ingest('redos', `a,b\n${hostile}\naaaa,x\naaa,y\n`);
    expect(run.rows).toMatchObject({ read: 5, quarantined: 3, accepted: 2 });
    expect((await fetch(`${app.host.baseUrl}/api/health`)).status).toBe(200);
  });

  it('answers a contract over DPS_CONTRACT_MAX_BYTES with a 413 naming the setting', async () => {
    const huge = contract('huge', ['a'], { values: Array.from({ length: 20_000 }, (_, i) => `value-${i}`) });
    const res = await app.call('PUT', 'datasets/huge/contract', JSON.stringify(huge));
    expect(res.status).toBe(413);
    expect((await res.json()).error).toContain('DPS_CONTRACT_MAX_BYTES');
  });
});

describe('links and pages', () => {
  it('builds returned links from the app\'s own address, never from the Host header', async () => {
    const body = 'a,b\n1,2\n';
    const answer = await rawRequest(app.host.baseUrl, `POST /api/datasets/hosted/ingest?code=${KEY} HTTP/1.1\nHost: evil.example\nContent-Length: ${body.length}`, (socket) => socket.write(body));
    expect(answer.status).toBe(202);
    const links = JSON.parse(answer.body) as Record<string, string>;
    expect(answer.headers.location.startsWith(app.host.baseUrl)).toBe(true);
    for (const name of ['pipelineUri', 'statusQueryGetUri', 'sendEventPostUri', 'terminatePostUri']) expect(links[name].startsWith(app.host.baseUrl), name).toBe(true);
    expect(answer.body).not.toContain('evil.example');
    await app.finishedRun(links.instanceId);
  });

  it('serves HTML with a Content-Security-Policy that runs no script, and nosniff', async () => {
    const res = await app.call('GET', 'flow/report');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('identity', () => {
  it('ignores spoofed principal headers: the audit names the function key used, not the caller\'s claim', async () => {
    const spoofed = Buffer.from(JSON.stringify({ auth_typ: 'aad', name_typ: 'name', claims: [{ typ: 'name', val: 'ceo@contoso.com' }] })).toString('base64');
    const res = await fetch(`${app.host.baseUrl}/api/datasets/who/contract?code=${KEY}`, {
      method: 'PUT',
      headers: { 'x-ms-client-principal-name': 'ceo@contoso.com', 'x-ms-client-principal-id': 'ceo', 'x-ms-client-principal': spoofed },
      body: JSON.stringify(contract('who', ['a'])),
    });
    expect(res.status).toBe(200);
    const stored = await res.json();
    expect(stored.storedBy).toBe(`key:${createHash('sha256').update(KEY).digest('hex').slice(0, 12)}`);
  });
});

describe('batches', () => {
  it('records 50,000 identical gzipped rows as one run of duplicates, and rejects a batch over the row limit naming it', async () => {
    const rows = (n: number) => 'id,x\n' + '1,same\n'.repeat(n);
    const within = gzipSync(rows(BATCH_MAX_ROWS));
    const run = await app.ingest('amplified', within as unknown as string);
    expect(run.rows).toEqual({ read: BATCH_MAX_ROWS, accepted: 1, quarantined: 0, duplicates: BATCH_MAX_ROWS - 1 });
    const duplicates = await app.host.storage.blobs.getContainerClient('quarantine').getBlobClient(run.layers.duplicates.name).downloadToBuffer();
    const lines = duplicates.toString('utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([expect.objectContaining({ rows: [2, BATCH_MAX_ROWS], kind: 'row', of: 'batch' })]);

    const bomb = gzipSync(rows(BATCH_MAX_ROWS * 20));
    expect(bomb.length).toBeLessThan(20_000);
    const rejected = await app.ingest('amplified-bomb', bomb as unknown as string);
    expect(rejected.status).toBe('rejected');
    expect(rejected.errors.join(' ')).toContain(`more than ${BATCH_MAX_ROWS} rows, the most one batch may hold (DPS_BATCH_MAX_ROWS)`);
  });
});

describe('input shape', () => {
  it('quarantines a row longer than DPS_BATCH_MAX_ROW_BYTES unread, keeping a preview, and accepts the rest', async () => {
    const others = Array.from({ length: 99 }, (_, i) => `${i + 2},short ${i % 5}`).join('\n');
    const run = await app.ingest('longfield', `id,text\n1,${'x'.repeat(1024 * 1024)}\n${others}\n`);
    expect(run, run.errors.join('; ')).toMatchObject({ status: 'accepted', rows: { read: 100, accepted: 99, quarantined: 1 } });
    const quarantine = await app.host.storage.blobs.getContainerClient('quarantine').getBlobClient(run.layers.quarantine.name).downloadToBuffer();
    const [row] = quarantine.toString('utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(row.errors[0]).toMatchObject({ rule: 'row-size', message: expect.stringContaining(`exceeds the ${ROW_LIMIT}-byte limit`) });
    expect(row.text.length).toBeLessThan(5_000);
  });

  it('rejects a batch whose inferred contract is too large to store, saying why, instead of failing', async () => {
    const cols = 5_000;
    const text = Array.from({ length: cols }, (_, i) => `c${i}`).join(',') + '\n' + Array.from({ length: 40 }, (_, r) => Array.from({ length: cols }, (_, i) => String((r + i) % 10)).join(',')).join('\n') + '\n';
    const run = await app.ingest('wide', text);
    expect(run.status).toBe('rejected');
    expect(run.errors.join(' ')).toContain('more than the 450000 a stored contract may have');
  });
});

describe('datasets never stuck', () => {
  const scores = (from: number, n: number) => 'customer,score\n' + Array.from({ length: n }, (_, i) => `c${from + i},${(from + i) % 7}`).join('\n') + '\n';

  it('refuses a key change under kept rows with a 409 saying what to do, and resets a dataset keeping its audit trail', async () => {
    expect((await app.ingest('stuck', scores(1, 50))).status).toBe('accepted');
    const keyed = { contractVersion: 1, dataset: 'stuck', columns: [{ name: 'customer', type: 'string', nullable: false }, { name: 'score', type: 'integer' }], primaryKey: ['customer'] };
    const refused = await app.call('PUT', 'datasets/stuck/contract', JSON.stringify(keyed));
    expect(refused.status).toBe(409);
    expect((await refused.json()).error).toContain('DELETE /api/datasets/stuck?confirm=stuck');

    expect((await app.call('DELETE', 'datasets/stuck')).status).toBe(400);
    const reset = await app.call('DELETE', 'datasets/stuck?confirm=stuck');
    expect(reset.status).toBe(200);
    expect((await reset.json()).removed).toMatchObject({ runs: 1, instances: 1 });
    expect((await app.call('GET', 'datasets/stuck')).status).toBe(404);
    const events = async () => ((await (await app.call('GET', 'audit/events?type=dataset.reset')).json()) as { items: Array<{ who: string; subjects: unknown }> }).items;
    await expect.poll(async () => (await events()).some((e) => JSON.stringify(e.subjects) === JSON.stringify({ dataset: 'stuck' }) && e.who.startsWith('key:')), { timeout: 30_000 }).toBe(true);

    expect((await app.call('PUT', 'datasets/stuck/contract', JSON.stringify(keyed))).status).toBe(200);
    const again = await app.ingest('stuck', scores(1, 50));
    expect(again).toMatchObject({ status: 'accepted', rows: { read: 50, accepted: 50 } });
    const later = await app.ingest('stuck', scores(41, 20));
    expect(later.rows).toMatchObject({ read: 20, accepted: 10, duplicates: 10 });
    expect(later.warnings.join('\n')).toContain("10 row(s) repeat the key (customer) of rows of earlier batches of 'stuck', e.g. [customer=c41]");
  });

  it('infers one contract when first batches arrive together: the first stored wins', async () => {
    const runs = await Promise.all([app.ingest('together', scores(1, 30)), app.ingest('together', scores(100, 30)), app.ingest('together', scores(200, 30))]);
    expect(runs.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted']);
    const info = await (await app.call('GET', 'datasets/together')).json();
    expect(info.contract.revision).toBe(1);
    expect(info.silverVersions.map((v: { contractRevision: number }) => v.contractRevision)).toEqual([1, 1, 1]);
  });

  it('answers odd dataset names with a 400 on every dataset route', async () => {
    for (const [method, route] of [['GET', 'datasets/a%27b'], ['GET', 'datasets/a%27b/contract'], ['POST', 'datasets/a%27b/quarantine/replay'], ['DELETE', 'datasets/a%27b?confirm=x'], ['POST', 'datasets/a%27b/ingest']]) {
      const res = await app.call(method, route, method === 'POST' ? 'x,y\n1,2\n' : undefined);
      expect(res.status, `${method} ${route}`).toBe(400);
    }
  });
});

describe('PII in quarantine', () => {
  const piiContract = (maxAge: number) => ({
    contractVersion: 1, dataset: 'piilog', maxQuarantineRate: 1, primaryKey: ['id'],
    columns: [{ name: 'id', type: 'integer', nullable: false }, { name: 'age', type: 'integer', max: maxAge }, { name: 'email', type: 'string', pii: 'hash', pattern: '[^@]+@[^@]+' }],
  });
  const quarantined = async (name: string) => (await app.host.storage.blobs.getContainerClient('quarantine').getBlobClient(name).downloadToBuffer()).toString('utf8');

  it('keeps no raw PII in quarantine files, and replay takes the hashed rows it can check again, refusing the others by name', async () => {
    expect((await app.call('PUT', 'datasets/piilog/contract', JSON.stringify(piiContract(120)))).status).toBe(200);
    const run = await app.ingest('piilog', 'id,age,email\n1,200,ann@secret.example\n2,30,bob-at-secret.example\n3,30,cy@secret.example\n');
    expect(run.rows).toMatchObject({ read: 3, accepted: 1, quarantined: 2 });
    const file = await quarantined(run.layers.quarantine.name);
    expect(file).not.toContain('secret.example');
    expect(file.trim().split('\n').map((l) => JSON.parse(l).piiHashed)).toEqual([true, true]);

    expect((await app.call('PUT', 'datasets/piilog/contract', JSON.stringify(piiContract(300)))).status).toBe(200);
    const replay = await (await app.call('POST', 'datasets/piilog/quarantine/replay')).json();
    expect(replay).toMatchObject({ status: 'accepted', rows: { read: 2, accepted: 1, quarantined: 1, duplicates: 0 } });
    const names: string[] = [];
    for await (const blob of app.host.storage.blobs.getContainerClient('quarantine').listBlobsFlat({ prefix: 'piilog/' })) names.push(blob.name);
    const replayFile = names.find((n) => n.includes(`replay-${replay.replayId}`) && !n.endsWith('.duplicates.jsonl'));
    const again = (await quarantined(replayFile as string)).trim().split('\n').map((l) => JSON.parse(l));
    expect(again).toEqual([expect.objectContaining({ row: 2, piiHashed: true, errors: [expect.objectContaining({ rule: 'replay', column: 'email', message: expect.stringContaining("PII column 'email' broke the pattern rule") })] })]);
  });
});

describe('names on every model route', () => {
  // Sent over a raw socket so '%2E%2E' reaches the host as written (a URL parser would resolve it as '..').
  const names = ['%00', 'm'.repeat(300), 'a%20b', '%C3%A9t%C3%A9', 'a%27b'];
  const routes: [string, string][] = [
    ['GET', ''], ['GET', '/versions/1/card'], ['GET', '/versions/1/artifact'], ['GET', '/drift'], ['GET', '/drift/report'],
    ['GET', '/rollout'], ['POST', '/rollout'], ['POST', '/rollout/approve'], ['POST', '/rollout/abort'],
    ['GET', '/retrain'], ['POST', '/retrain'], ['POST', '/feedback'], ['POST', '/predict'],
  ];

  const send = (method: string, path: string) => {
    const body = method === 'POST' ? '{}' : '';
    return rawRequest(app.host.baseUrl, `${method} ${path}?code=${KEY} HTTP/1.1\nHost: 127.0.0.1\nContent-Length: ${body.length}`, (socket) => socket.write(body));
  };

  it('answers an odd model name with a 400 naming the field and the rule, on each route', async () => {
    for (const name of names) {
      for (const [method, tail] of routes) {
        const answer = await send(method, `/api/models/${name}${tail}`);
        expect(answer.status, `${method} models/${name.slice(0, 20)}${tail}`).toBe(400);
        expect(JSON.parse(answer.body).error, `${method} models/${name.slice(0, 20)}${tail}`).toMatch(/^model name '.*' must be 1-63 characters of letters, digits/s);
      }
    }
  });

  it('resolves a dot-dot segment before routing, as Azure does: no model route is reached', async () => {
    for (const [method, tail] of routes) {
      const answer = await send(method, `/api/models/%2E%2E${tail}`);
      expect(answer.status, `${method} models/%2E%2E${tail}`).toBe(404);
      expect(JSON.parse(answer.body).error).toMatch(/^No function serves \/api\//);
    }
  });
});
