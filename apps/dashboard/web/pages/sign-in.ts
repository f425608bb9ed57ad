import { errorBox } from '../components/error-box.ts';
import { h, replace } from '../dom.ts';
import { navigate, type View } from '../router.ts';
import { session } from '../session.ts';

export function signInPage(query: URLSearchParams): View {
  const next = query.get('next');
  const input = h('input', { type: 'password', name: 'apiKey', placeholder: 'ty_…', autocomplete: 'off', required: true, autofocus: true, spellcheck: false });
  const status = h('div', { class: 'form-status' });
  const button = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const form = h(
    'form',
    {
      class: 'card sign-in',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        const apiKey = input.value.trim();
        button.disabled = true;
        replace(status, 'Checking the key…');
        try {
          // Any authenticated call tells whether the key is valid.
          await session.client(apiKey).listJobs({ limit: 1 });
          session.signIn(apiKey);
          navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
        } catch (error) {
          replace(status, errorBox(error));
          button.disabled = false;
        }
      },
    },
    h('h1', null, 'Sign in to Trainyard'),
    h('p', { class: 'muted' }, 'Paste an API key. It stays in this browser (local storage) and is sent as a Bearer token.'),
    h('label', null, 'API key', input),
    button,
    status,
  );
  return { title: 'Sign in', element: h('section', { class: 'narrow' }, form) };
}
