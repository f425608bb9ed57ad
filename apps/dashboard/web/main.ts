import './styles.css';
import { engineBanner } from './components/engine-banner.ts';
import { h } from './dom.ts';
import { datasetPage } from './pages/dataset-page.ts';
import { datasetsListPage } from './pages/datasets-list.ts';
import { jobPage } from './pages/job-page.ts';
import { jobsListPage } from './pages/jobs-list.ts';
import { signInPage } from './pages/sign-in.ts';
import { sweepPage } from './pages/sweep-page.ts';
import { sweepsListPage } from './pages/sweeps-list.ts';
import { submitPage } from './pages/submit.ts';
import { navigate, startRouter } from './router.ts';
import { session } from './session.ts';

const nav = h('nav');
const main = h('main');
const signOut = h('button', { class: 'ghost', onclick: () => {
  session.signOut();
  navigate('/sign-in');
} }, 'Sign out');

document.getElementById('app')!.append(
  h('header', { class: 'top' }, h('a', { href: '/', class: 'brand' }, h('img', { src: '/favicon.svg', alt: '' }), 'Trainyard'), nav, signOut),
  engineBanner(),
  main,
);

/** The header follows the page: its links highlight, sign-out shows only when signed in. */
function updateHeader(path: string): void {
  const links: [string, string][] = [['/', 'Jobs'], ['/datasets', 'Datasets'], ['/sweeps', 'Sweeps'], ['/submit', 'New job']];
  nav.replaceChildren(
    ...(session.apiKey === null ? [] : links.map(([href, label]) => h('a', { href, class: isActive(href, path) ? 'active' : '' }, label))),
    h('a', { href: '/docs', target: '_blank' }, 'API docs'),
  );
  signOut.hidden = session.apiKey === null;
}

function isActive(href: string, path: string): boolean {
  if (href === '/') return path === '/' || path.startsWith('/jobs');
  return path === href || path.startsWith(`${href}/`);
}

startRouter(
  main,
  [
    { pattern: /^\/$/, render: (_params, query) => jobsListPage(query) },
    { pattern: /^\/jobs\/?$/, render: (_params, query) => jobsListPage(query) },
    { pattern: /^\/jobs\/([^/]+)$/, render: ([id]) => jobPage(id) },
    { pattern: /^\/datasets\/?$/, render: () => datasetsListPage() },
    { pattern: /^\/datasets\/([^/]+)$/, render: ([id]) => datasetPage(id) },
    { pattern: /^\/sweeps\/?$/, render: () => sweepsListPage() },
    { pattern: /^\/sweeps\/([^/]+)$/, render: ([id]) => sweepPage(id) },
    { pattern: /^\/submit$/, render: (_params, query) => submitPage(query) },
    { pattern: /^\/sign-in$/, render: (_params, query) => signInPage(query), public: true },
  ],
  updateHeader,
);
