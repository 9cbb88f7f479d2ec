import type { CliCommand } from '../command';
import { auditVerifyCommand } from './audit-verify';
import { finopsPlanCommand } from './finops-plan';
import { finopsSeedCommand } from './finops-seed';
import { sampleCommand } from './sample';
import { contractInferCommand } from './contract-infer';
import { validateCommand } from './validate';
import { runCommand } from './run';
import { driftCommand } from './drift';

/** Every `dps` sub-command, in the order `dps --help` lists them. */
export const commands: CliCommand[] = [
  sampleCommand,
  contractInferCommand,
  validateCommand,
  runCommand,
  driftCommand,
  finopsPlanCommand,
  finopsSeedCommand,
  auditVerifyCommand,
];
