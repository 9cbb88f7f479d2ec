import { describe, expect, it } from 'vitest';
import { structuredLog } from '../../src/Dps.Functions/shared/structured-log';

function recordingContext() {
  const lines: { method: string; text: string }[] = [];
  const record = (method: string) => (text: unknown) => lines.push({ method, text: String(text) });
  return { lines, context: { invocationId: 'inv-1', functionName: 'pipelineValidateBatch', log: record('log'), warn: record('warn'), error: record('error') } };
}

describe('structured logs', () => {
  it('writes one JSON object per line with the invocation, the subject and the fields, at its level', () => {
    const { lines, context } = recordingContext();
    const log = structuredLog(context, { instanceId: 'pipeline-churn-abc', dataset: 'churn' });
    log.info('batch validated', { rows: 10 });
    log.with({ model: 'churn', version: 2 }).warn('challenger registered');
    log.error('failed');
    expect(lines.map((l) => l.method)).toEqual(['log', 'warn', 'error']);
    expect(JSON.parse(lines[0].text)).toEqual({ level: 'info', message: 'batch validated', invocationId: 'inv-1', function: 'pipelineValidateBatch', instanceId: 'pipeline-churn-abc', dataset: 'churn', rows: 10 });
    expect(JSON.parse(lines[1].text)).toMatchObject({ level: 'warn', dataset: 'churn', model: 'churn', version: 2 });
    expect(JSON.parse(lines[2].text)).not.toHaveProperty('model');
  });
});
