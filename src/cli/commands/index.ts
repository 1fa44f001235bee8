import type { Command } from '../command.js';
import { adoptCommand } from './adopt.js';
import { applyCommand } from './apply.js';
import { auditCommand } from './audit.js';
import { backupCommand } from './backup.js';
import { configCommand } from './config.js';
import { downCommand } from './down.js';
import { driftCommand } from './drift.js';
import { graphCommand } from './graph.js';
import { planCommand } from './plan.js';
import { runCommand } from './run.js';
import { statusCommand } from './status.js';
import { validateCommand } from './validate.js';

export const commands: Command[] = [validateCommand, configCommand, planCommand, applyCommand, adoptCommand, downCommand, runCommand, statusCommand, auditCommand, graphCommand, driftCommand, backupCommand];
