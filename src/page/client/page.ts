/// <reference lib="dom" />
// The page's only script, a few dozen lines of plain DOM: it keeps the server-rendered page live. The
// server sends, over server-sent events, the markup of each section that changed (rendered and escaped by
// the same code as the first load); this swaps it in, keeps the audit filter applied, and says whether the
// stream is live. No framework: there is no client-side state to manage beyond that.

const live = document.getElementById('live');
const projectSelect = document.getElementById('audit-project') as HTMLSelectElement | null;
const serviceSelect = document.getElementById('audit-service') as HTMLSelectElement | null;

function applyAuditFilter(): void {
  const project = projectSelect?.value ?? '';
  const service = serviceSelect?.value ?? '';
  document.querySelectorAll<HTMLTableRowElement>('#audit-body tr[data-project]').forEach((row) => {
    row.hidden = (project !== '' && row.dataset.project !== project) || (service !== '' && row.dataset.service !== service);
  });
}

function say(text: string): void {
  if (live && live.textContent !== text) live.textContent = text;
}

function connect(): void {
  say('connecting…');
  const source = new EventSource('/events');
  source.addEventListener('open', () => say('live'));
  source.addEventListener('error', () => say('reconnecting…'));
  source.addEventListener('sections', (event) => {
    const sections = JSON.parse((event as MessageEvent<string>).data) as Record<string, string>;
    for (const [id, markup] of Object.entries(sections)) {
      const element = document.getElementById(id);
      if (element && element.innerHTML !== markup) element.innerHTML = markup;
    }
    applyAuditFilter();
    say('live');
  });
}

projectSelect?.addEventListener('change', applyAuditFilter);
serviceSelect?.addEventListener('change', applyAuditFilter);
document.getElementById('audit-filter')?.addEventListener('submit', (event) => {
  event.preventDefault();
  applyAuditFilter();
});
connect();
