import type { CliCommand } from '../command';
import { auditVerifyCommand } from './audit-verify';
import { finopsPlanCommand } from './finops-plan';
import { finopsSeedCommand } from './finops-seed';
import { sampleCommand } from './sample';
import { contractInferCommand } from './contract-infer';
import { validateCommand } from './validate';
import { runCommand } from './run';
import { predictCommand } from './predict';
import { driftCommand } from './drift';
import { demoCommand } from './demo';

/** Every `dps` sub-command, in the order `dps --help` lists them. */
export const commands: CliCommand[] = [
  sampleCommand,
  contractInferCommand,
  validateCommand,
  runCommand,
  predictCommand,
  driftCommand,
  demoCommand,
  finopsPlanCommand,
  finopsSeedCommand,
  auditVerifyCommand,
];
