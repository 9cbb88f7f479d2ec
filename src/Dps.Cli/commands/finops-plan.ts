import { CliCommand, UsageError } from '../command';
import { parseArgs, requireOption } from '../args';
import { parseIsoInstant } from '../../Dps.Domain/iso-time';
import { parseOffHoursSchedule } from '../../Dps.Domain/finops/offhours-schedule';
import { parseHourlyCost } from '../../Dps.Domain/finops/offhours-tags';
import { OffHoursDefaults, OffHoursPlan, planOffHours } from '../../Dps.Domain/finops/plan-offhours';
import { readInventoryFile } from './inventory-file';

const DEFAULT_SCHEDULE = 'off=(M-F,19);on=(M-F,7);tz=UTC';

const usage = `Usage: dps finops plan --inventory FILE --at ISO [--since ISO] [--json]

Decides which resources the off-hours policy stops or starts for an evaluation at --at, given the
previous one at --since (default: one hour earlier). FILE is {"resources": [{"id", "type",
"state": "running"|"stopped", "tags": {...}}]}. Nothing is changed; the plan is printed.

Settings: DPS_FINOPS_DEFAULT_SCHEDULE (default ${DEFAULT_SCHEDULE}),
          DPS_FINOPS_HOURLY_COST (default 0, price per hour for savings estimates).
Exit codes: 0 plan printed (skipped resources included), 1 bad inventory, time or setting.
`;

// The environment is read here, at the edge; the domain only sees the values.
function defaultsFromEnv(env: NodeJS.ProcessEnv): OffHoursDefaults {
  const schedule = env.DPS_FINOPS_DEFAULT_SCHEDULE?.trim() || DEFAULT_SCHEDULE;
  const parsed = parseOffHoursSchedule(schedule, 'UTC');
  if (!parsed.ok) throw new UsageError(`DPS_FINOPS_DEFAULT_SCHEDULE: ${parsed.error}`);
  const cost = parseHourlyCost(env.DPS_FINOPS_HOURLY_COST?.trim() || '0');
  if (!cost.ok) throw new UsageError(`DPS_FINOPS_HOURLY_COST: ${cost.error}`);
  return { schedule, hourlyCost: cost.value };
}

function checkTime(option: string, value: string | undefined): void {
  const parsed = value === undefined ? undefined : parseIsoInstant(value);
  if (parsed && !parsed.ok) throw new UsageError(`--${option}: ${parsed.error}`);
}

function table(plan: OffHoursPlan): string {
  const count = (action: string) => plan.decisions.filter((d) => d.action === action).length;
  const header = ['wave', 'action', 'id', 'savings', 'reason'];
  const rows = plan.decisions.map((d) => [String(d.wave), d.action, d.id, d.estimatedSavings?.amount.toFixed(2) ?? '-', d.reason]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  return [
    `Off-hours plan for (${plan.since}, ${plan.at}]: ${count('stop')} stop, ${count('start')} start, ${count('none')} none, ${count('skip')} skip`,
    line(header),
    ...rows.map(line),
  ].join('\n') + '\n';
}

/** `dps finops plan`: prints the off-hours decisions for an inventory file. */
export const finopsPlanCommand: CliCommand = {
  path: ['finops', 'plan'],
  summary: 'plan off-hours stops and starts for an inventory',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, ['inventory', 'at', 'since'], ['json']);
    const file = requireOption(args, 'inventory');
    const at = requireOption(args, 'at');
    const since = args.options.get('since');
    checkTime('at', at);
    checkTime('since', since);
    const defaults = defaultsFromEnv(process.env);
    const { resources } = await readInventoryFile(file, io);
    const plan = planOffHours({ resources, at, since, defaults });
    if (!plan.ok) throw new UsageError(plan.error);
    io.stdout(args.flags.has('json') ? JSON.stringify(plan.value) + '\n' : table(plan.value));
    return 0;
  },
};
