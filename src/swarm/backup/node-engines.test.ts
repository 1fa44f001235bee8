import { describe, expect, it } from 'vitest';
import { nodeEnginesFrom, parseNodeEngines } from './node-engines.js';

// `--swarm-node-engine HOSTNAME=ADDRESS` and COMPOSELET_SWARM_NODE_ENGINES: pairs read as written, a bad one
// named with what was expected.

describe('parseNodeEngines', () => {
  it.each<[string, string[], Array<[string, string]>]>([
    ['a unix socket', ['worker-2=unix:///run/w2/docker.sock'], [['worker-2', 'unix:///run/w2/docker.sock']]],
    ['tcp, and several nodes', ['w2=tcp://10.0.0.2:2375', 'w3=tcp://10.0.0.3:2375'], [['w2', 'tcp://10.0.0.2:2375'], ['w3', 'tcp://10.0.0.3:2375']]],
    ['the later pair wins', ['w2=tcp://a:1', 'w2=tcp://b:2'], [['w2', 'tcp://b:2']]],
  ])('%s', (_name, entries, expected) => {
    expect([...parseNodeEngines(entries)]).toEqual(expected);
  });

  it.each<[string, string, string]>([
    ['no address', 'worker-2', '--swarm-node-engine "worker-2": expected HOSTNAME=unix:///path/to/docker.sock or HOSTNAME=tcp://host:port'],
    ['no hostname', '=tcp://a:1', '--swarm-node-engine "=tcp://a:1": expected HOSTNAME='],
    ['an unsupported scheme', 'w2=ssh://root@w2', '--swarm-node-engine "w2=ssh://root@w2": unsupported address "ssh://root@w2"'],
  ])('%s must be a usage error saying what was expected', (_name, entry, message) => {
    expect(() => parseNodeEngines([entry])).toThrow(message);
  });
});

describe('nodeEnginesFrom', () => {
  it('reads the variable (comma- or space-separated) and lets the options win', () => {
    const engines = nodeEnginesFrom({ values: ['w3=tcp://option:1'], environment: { COMPOSELET_SWARM_NODE_ENGINES: 'w2=tcp://env:1, w3=tcp://env:2' } });
    expect([...engines]).toEqual([['w2', 'tcp://env:1'], ['w3', 'tcp://option:1']]);
  });

  it('names the variable in its errors', () => {
    expect(() => nodeEnginesFrom({ values: [], environment: { COMPOSELET_SWARM_NODE_ENGINES: 'w2' } })).toThrow('COMPOSELET_SWARM_NODE_ENGINES "w2": expected');
  });
});
