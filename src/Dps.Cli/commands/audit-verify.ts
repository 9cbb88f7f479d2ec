import { openAuditStore } from '../../Dps.Functions/storage/audit-store';
import { verifyStoredChain } from '../../Dps.Functions/audit/chain-verification';
import { readSettings } from '../../Dps.Functions/settings';
import { parseArgs } from '../args';
import { CliCommand } from '../command';
import { STATE_OPTION_USAGE, stateDirOf, withLocalStorage } from './local-state';

const usage = `Usage: dps audit verify [--state DIR] [--json]

Verifies the local audit hash chain end to end against its stored head, its append-only segments
and the anchored heads, with the same code as GET /api/audit/verify: records edited, cut off with the
head moved back, rewritten and re-hashed, or wiped are reported with what was done and what caught it. Stop \`npm start\` first (or call that endpoint instead): only one process can
open the local storage at a time.

  ${STATE_OPTION_USAGE}
  --json        print the verdict as one JSON object
Settings (env): DPS_TABLE_AUDIT, DPS_CONTAINER_AUDIT (defaults: audit).
Exit codes: 0 the chain holds, 2 it is broken (the first broken record on stderr), 1 usage or I/O error.
`;

/** `dps audit verify`: verifies the audit chain in the local state directory. */
export const auditVerifyCommand: CliCommand = {
  path: ['audit', 'verify'],
  summary: 'verify the local audit hash chain',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, ['state'], ['json']);
    const dir = stateDirOf(args, io);
    const verdict = await withLocalStorage(dir, { mustExist: true }, async (storage) => verifyStoredChain(await openAuditStore(storage, readSettings())));
    if (args.flags.has('json')) io.stdout(JSON.stringify(verdict) + '\n');
    if (verdict.ok) {
      if (!args.flags.has('json')) {
        const pending = verdict.segments.pending > 0 ? ` (${verdict.segments.pending} not yet copied)` : '';
        io.stdout(`audit chain ok: ${verdict.length} records, head seq ${verdict.headSeq} hash ${verdict.head}; ${verdict.segments.records} in append-only segments${pending}, ${verdict.anchors.count} anchored head(s) up to seq ${verdict.anchors.latestSeq}\n`);
      }
      return 0;
    }
    const event = verdict.eventId === undefined ? '' : ` (event '${verdict.eventId}')`;
    io.stderr(`dps audit verify: ${verdict.tampering} (found by the ${verdict.detectedBy}): chain broken at record ${verdict.brokenAt}${event}: ${verdict.reason}\n`);
    return 2;
  },
};
