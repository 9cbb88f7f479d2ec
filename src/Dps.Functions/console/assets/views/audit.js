// Audit: browse decisions with filters, and verify the hash chain.
import { getJson, listItems } from '../api-client.js';
import { Outcome, Tile } from '../data-table.js';
import { text, when } from '../format.js';
import { PagedTable } from '../paged-table.js';
import { html, useState } from '../preact.js';
import { usePagedList } from '../use-api.js';

/** `datetime-local` input value as an ISO instant (the browser's zone), empty when unset. */
const isoOf = (local) => (local ? new Date(local).toISOString() : '');

/** What a check that held read: the records after the checkpoint, or the whole chain. */
const scopeOf = (v) => (v.checked?.scope === 'checkpoint' ? `records after seq ${v.checked.fromSeq} checked; last full check at seq ${v.checked.lastFull.seq}, ${when(v.checked.lastFull.at)}` : 'checked from genesis');

function Verify() {
  const [state, setState] = useState({ busy: false });
  // Quick: from the checkpoint (the records since the last check that held); full: every record from genesis.
  const verify = (full) => {
    setState({ busy: true });
    getJson('audit/verify', { full: full ? 'true' : undefined }, [409]).then((verdict) => setState({ busy: false, verdict }), (error) => setState({ busy: false, error }));
  };
  const v = state.verdict;
  return html`<div class="actions">
    <button onClick=${() => verify(false)} disabled=${state.busy}>Verify the chain</button>
    <button onClick=${() => verify(true)} disabled=${state.busy}>Verify from genesis</button>
    ${v ? html`<${Tile} label=${v.ok ? `audit chain · ${scopeOf(v)}` : 'audit chain'} value=${v.ok ? `intact · ${v.length} records` : `broken at record ${v.brokenAt}`} hint=${v.reason ?? v.head ?? ''} />` : null}
    ${v && !v.ok ? html`<span class="failure" role="alert">${v.reason}${v.eventId ? ` (event ${v.eventId})` : ''}</span>` : null}
    ${state.error ? html`<span class="failure" role="alert">${state.error.message}</span>` : null}
  </div>`;
}

/** The audit view. */
export function Audit() {
  const [filter, setFilter] = useState({ type: '', from: '', to: '' });
  const list = usePagedList((token) => getJson('audit/events', { ...filter, top: 50, continuationToken: token })
    .then((body) => ({ items: listItems(body, 'events'), continuationToken: body?.continuationToken })), [filter.type, filter.from, filter.to]);
  const submit = (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    setFilter({ type: String(form.get('type') ?? ''), from: isoOf(String(form.get('from') ?? '')), to: isoOf(String(form.get('to') ?? '')) });
  };
  return html`<h2>Audit</h2>
    <${Verify} />
    <form class="filters" onSubmit=${submit}>
      <label>type <input name="type" placeholder="e.g. model.registered" value=${filter.type} /></label>
      <label>from <input name="from" type="datetime-local" /></label>
      <label>to <input name="to" type="datetime-local" /></label>
      <button type="submit">Filter</button>
    </form>
    <${PagedTable} list=${list} what="audit events" rowKey=${(e) => e.id} columns=${[
      { label: 'when', cell: (e) => when(e.when) },
      { label: 'what', cell: (e) => e.what },
      { label: 'who', cell: (e) => e.who },
      { label: 'outcome', cell: (e) => html`<${Outcome} value=${e.outcome} />` },
      { label: 'why', cell: (e) => e.why },
      { label: 'subjects', cell: (e) => text(e.subjects) },
      { label: 'where', cell: (e) => [e.where?.function, e.where?.instanceId].filter(Boolean).join(' · ') },
    ]} />`;
}
