import { describe, expect, it } from 'vitest';
import { writeManifestTree, yaml } from '../../support/manifest-files.js';
import { runCliCaptured } from '../../support/run-cli.js';

// `config` redacts secrets where they sit in the model; a value that is also a name, an image or a port
// is never touched elsewhere (issue 10: `postgres` and `8000` were replaced inside names and numbers).

const MARKER = /^<redacted:[0-9a-f]{8}>$/;

describe('composelet config redaction by field', () => {
  it('a .env password equal to the service name and image must be redacted only where it is the password', async () => {
    const directory = writeManifestTree({
      '.env': 'POSTGRES_PASSWORD=postgres\nPORT=8000\nAPP_DSN_USER=true\n',
      'compose.yaml': yaml`
        name: mangled
        services:
          postgres:
            image: postgres:15
            environment:
              POSTGRES_PASSWORD: \${POSTGRES_PASSWORD}
              POSTGRES_USER: postgres
              UPSTREAM: http://backend:\${PORT}/
            ports: ["\${PORT}:8000"]
            read_only: true
            volumes: ["./postgres:/var/lib/postgresql/data"]
      `,
    });
    const { code, stdout } = await runCliCaptured(['config', directory, '--json']);
    expect(code).toBe(0);
    const service = JSON.parse(stdout).projects[0].services.postgres;
    expect(service.name).toBe('postgres');
    expect(service.image).toBe('postgres:15');
    expect(service.ports).toEqual([{ hostIp: '', hostPort: 8000, containerPort: 8000, protocol: 'tcp' }]);
    expect(service.readOnly).toBe(true);
    expect(service.volumes[0]).toMatchObject({ source: `${directory}/postgres`, target: '/var/lib/postgresql/data' });
    expect(service.environment.POSTGRES_PASSWORD).toMatch(MARKER);
    expect(service.environment.POSTGRES_USER).toBe('postgres');
    expect(service.environment.UPSTREAM).toMatch(MARKER);
  });

  it('YAML output must redact the same fields and keep the rest', async () => {
    const directory = writeManifestTree({
      '.env': 'SECRET_VALUE=sentinel-dotenv-1234\n',
      'compose.yaml': 'services:\n  app:\n    image: busybox\n    environment:\n      PLAIN: ${SECRET_VALUE}\n    command: ["run", "--with", "${SECRET_VALUE}"]\n',
    });
    const { code, stdout } = await runCliCaptured(['config', directory]);
    expect(code).toBe(0);
    expect(stdout).not.toContain('sentinel-dotenv-1234');
    expect(stdout).toContain('- run\n');
    expect(stdout).toContain('- --with\n');
  });

  it('secret and config contents must be redacted', async () => {
    const directory = writeManifestTree({
      'compose.yaml': yaml`
        services:
          app:
            image: busybox
            configs: [settings]
        configs:
          settings:
            content: "token: sentinel-content-5678"
      `,
    });
    const { code, stdout } = await runCliCaptured(['config', directory, '--json']);
    expect(code).toBe(0);
    expect(stdout).not.toContain('sentinel-content-5678');
    expect(JSON.parse(stdout).projects[0].configs.settings.content).toMatch(MARKER);
  });
});
