import { describe, expect, it } from 'vitest';
import { salvage } from './salvage.js';
import { composeFileSchema } from '../schema/compose-file.js';

describe('salvage', () => {
  it.each<[string, Record<string, unknown>, Array<Array<string | number>>, unknown]>([
    ['an unknown key is dropped', { services: { api: { image: 'x', imgae: 'y' } } }, [['services', 'api', 'imgae']], { api: { image: 'x' } }],
    ['a bad list item is dropped, the rest kept', { services: { api: { image: 'x', ports: ['99999:80', '80'] } } }, [['services', 'api', 'ports', 0]], { api: { image: 'x', ports: ['80'] } }],
    ['a service whose image was mistyped keeps a stand-in image', { services: { api: { imgae: 'x' } } }, [['services', 'api', 'imgae']], { api: { image: 'composelet/invalid' } }],
    ['a bad image is replaced, not dropped', { services: { api: { image: 7 } } }, [['services', 'api', 'image']], { api: { image: 'composelet/invalid' } }],
    ['a service that is not a map stands in', { services: { api: 'x' } }, [['services', 'api']], { api: { image: 'composelet/invalid' } }],
  ])('%s', (_name, document, paths, services) => {
    expect(salvage(composeFileSchema, document, paths)?.services).toEqual(services);
  });
});
