import type { CliCommand } from '../command';

/** Every `dps` sub-command, in the order `dps --help` lists them. */
export const commands: CliCommand[] = [];
