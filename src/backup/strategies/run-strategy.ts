import { execBackup } from './exec-strategy.js';
import { filesBackup } from './files-strategy.js';
import { redisBackup } from './redis-strategy.js';
import type { StrategyContext, StrategyOutcome } from './strategy.js';
import { volumeBackup } from './volume-strategy.js';

const STRATEGIES = { exec: execBackup, redis: redisBackup, volume: volumeBackup, files: filesBackup } as const;

export function runStrategy(context: StrategyContext): Promise<StrategyOutcome> {
  return STRATEGIES[context.definition.strategy](context);
}
