// The console's entry: navigation and the view the hash route names.
import { html, render } from './preact.js';
import { routeHref, useRoute } from './router.js';
import { Audit } from './views/audit.js';
import { Datasets } from './views/datasets.js';
import { Drift } from './views/drift.js';
import { FinOps } from './views/finops.js';
import { Models } from './views/models.js';
import { Overview } from './views/overview.js';
import { Rollouts } from './views/rollouts.js';
import { Runs } from './views/runs.js';

const VIEWS = [
  ['overview', 'Overview', Overview],
  ['datasets', 'Datasets', Datasets],
  ['runs', 'Runs', Runs],
  ['models', 'Models', Models],
  ['rollouts', 'Rollouts', Rollouts],
  ['drift', 'Drift', Drift],
  ['finops', 'FinOps', FinOps],
  ['audit', 'Audit', Audit],
];

function App() {
  const { view, args } = useRoute();
  const [name, , View] = VIEWS.find(([n]) => n === view) ?? VIEWS[0];
  return html`
    <header>
      <h1>DPS <span class="muted">digital production system</span></h1>
      <nav>${VIEWS.map(([n, label]) => html`<a href=${routeHref(n)} class=${n === name ? 'active' : ''}>${label}</a>`)}</nav>
    </header>
    <main><${View} key=${`${name}/${args.join('/')}`} args=${args} /></main>`;
}

const root = document.getElementById('app');
root.replaceChildren(); // drop the static "Loading" line; Preact renders into an empty element
render(html`<${App} />`, root);
