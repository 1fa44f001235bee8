import type { ComposeDocument, StackDefinition } from './stack-documents.js';

// The copy of a stack the adoption measurement runs: a client must be able to poll some services, so a
// stack that publishes no port (the generated ones) gets a few services serving HTTP on a published port:
// the first (others depend on it, and it has a healthcheck), one in the middle and the last. Their host
// ports are placeholders that the tool session replaces with free ones. The example publishes its own.

export const POLLED_CONTAINER_PORT = 8080;
const HTTP_COMMAND = ['sh', '-c', `trap 'exit 0' TERM; mkdir -p /www && echo ok > /www/index.html; httpd -f -p ${POLLED_CONTAINER_PORT} -h /www & wait`];

export function adoptionStack(stack: StackDefinition, options: { polledServices?: number } = {}): StackDefinition {
  if (publishesPorts(stack.document)) return stack;
  const names = Object.keys(stack.document.services).sort();
  const wanted = Math.min(options.polledServices ?? 3, names.length);
  const polled = [...new Set([names[0]!, names[Math.floor(names.length / 2)]!, names.at(-1)!, ...names])].slice(0, wanted);
  const document: ComposeDocument = structuredClone(stack.document);
  for (const name of polled) {
    const service = document.services[name]!;
    service['command'] = HTTP_COMMAND;
    service['ports'] = [`127.0.0.1:1:${POLLED_CONTAINER_PORT}`];
  }
  return { ...stack, document };
}

/** Service -> the host URLs it publishes (only `IP:HOST:CONTAINER` ports, as the benchmark writes them). */
export function publishedUrls(document: ComposeDocument): Map<string, string[]> {
  const urls = new Map<string, string[]>();
  for (const [name, service] of Object.entries(document.services)) {
    const ports = Array.isArray(service['ports']) ? service['ports'] : [];
    const hostUrls = ports
      .map((port) => (typeof port === 'string' ? port.split(':') : []))
      .filter((parts) => parts.length === 3)
      .map(([ip, hostPort]) => `http://${ip}:${hostPort}/`);
    if (hostUrls.length > 0) urls.set(name, hostUrls);
  }
  return urls;
}

function publishesPorts(document: ComposeDocument): boolean {
  return Object.values(document.services).some((service) => Array.isArray(service['ports']) && service['ports'].length > 0);
}
