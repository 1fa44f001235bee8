import type { Command } from '../command.js';
import { configCommand } from './config.js';
import { validateCommand } from './validate.js';

export const commands: Command[] = [validateCommand, configCommand];
