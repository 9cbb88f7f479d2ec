import type { CliCommand } from '../command';
import { finopsPlanCommand } from './finops-plan';

/** Every `dps` sub-command, in the order `dps --help` lists them. */
export const commands: CliCommand[] = [
  finopsPlanCommand,
];
