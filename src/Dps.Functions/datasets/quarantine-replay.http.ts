import { app, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { auditOutput, emitAudit } from '../audit/audit-output';
import { callerIdentity } from '../audit/caller-identity';
import type { AppDependencies } from '../app-dependencies';
import { replayQuarantine } from './quarantine-replay';
import { checkDatasetName } from '../../Dps.Domain/data/dataset-names';
import { badRequest, notFound } from '../shared/http-responses';

/** Registers `POST /api/datasets/{dataset}/quarantine/replay`: re-validate quarantined rows after a contract fix. */
export function registerQuarantineReplay(deps: AppDependencies): void {
  app.http('replayQuarantine', {
    methods: ['POST'],
    authLevel: 'function',
    route: 'datasets/{dataset}/quarantine/replay',
    extraOutputs: [auditOutput],
    handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
      const dataset = request.params.dataset;
      const problem = checkDatasetName(dataset);
      if (problem) return badRequest(problem);
      const outcome = await replayQuarantine(deps.storage(), deps.dataPlane(), deps.settings, dataset);
      if (!outcome) return notFound(`no contract is stored for dataset '${dataset}'`);
      if (outcome.status !== 'nothing-to-replay') {
        const { read, accepted, quarantined, duplicates } = outcome.rows;
        emitAudit(context, {
          id: `replay-${dataset}-${(outcome.replayId ?? '').slice(0, 12)}-r${outcome.contractRevision}`,
          who: callerIdentity(request, deps.settings), what: 'quarantine.replayed', outcome: outcome.status,
          why: outcome.status === 'accepted'
            ? `${accepted} of ${read} quarantined rows now pass contract revision ${outcome.contractRevision}; ${quarantined} stay quarantined, ${duplicates} duplicates`
            : `replay rejected: ${outcome.errors.slice(0, 3).join('; ')}`,
          subjects: { dataset }, details: { rows: { read, accepted, quarantined, duplicates }, silverVersion: outcome.silverVersion ?? null, files: outcome.replayedFrom.map((r) => r.name) },
        });
      }
      return { status: 200, jsonBody: { dataset, ...outcome } };
    },
  });
}
