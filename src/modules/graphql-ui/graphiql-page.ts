/** Where the page's files are served: `${GRAPHIQL_ASSETS_PATH}/<version>/<file>`. */
export const GRAPHIQL_ASSETS_PATH = '/graphql/ui';

/** What the start script needs, embedded in the page as JSON (not as script). */
export interface GraphiqlPageConfig {
  /** `/graphql` or `/graphql/system`. */
  readonly endpoint: string;
  /** `/graphql/ui/<version>`. */
  readonly assets: string;
  /** The graphql-ws path for subscriptions (WEBSOCKETS_GRAPHQL_PATH) on `/graphql`; null when there is none. */
  readonly subscriptions: string | null;
}

/** JSON that is safe inside `<script type="application/json">` (no `</script>`, no HTML comment openers). */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

/**
 * The HTML of `GET /graphql` for a browser. Every file it loads comes from this server (see graphiqlAssets) and it has
 * no inline script, so it also runs under a strict `script-src 'self'` policy.
 */
export function renderGraphiqlPage(config: GraphiqlPageConfig): string {
  const a = config.assets;
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>GraphiQL · Tessera</title>
    <link rel="icon" href="${a}/favicon.ico" />
    <link rel="stylesheet" href="${a}/graphiql.css" />
    <style>
      html, body { height: 100%; margin: 0; }
      body { display: flex; flex-direction: column; font-family: system-ui, sans-serif; font-size: 13px; }
      #tessera-auth { flex: none; display: flex; flex-wrap: wrap; gap: 6px; align-items: center; padding: 6px 10px;
        border-bottom: 1px solid #ddd; background: #f7f7f9; }
      #tessera-auth input { font: inherit; padding: 3px 6px; }
      #tessera-auth button { font: inherit; padding: 3px 8px; cursor: pointer; }
      #tessera-auth .spacer { flex: 1; }
      #tessera-auth-error { color: #c0392b; }
      #root { flex: 1; min-height: 0; }
    </style>
    <script type="application/json" id="tessera-graphiql-config">${scriptJson(config)}</script>
    <script src="${a}/tessera-graphiql.js"></script>
    <script src="${a}/graphiql.js" defer></script>
  </head>
  <body class="no-focus-outline">
    <noscript>GraphiQL needs JavaScript.</noscript>
    <form id="tessera-auth" autocomplete="on">
      <strong id="tessera-whoami">…</strong>
      <span class="spacer"></span>
      <span id="tessera-auth-error" role="alert"></span>
      <input id="tessera-email" name="email" type="email" placeholder="email" autocomplete="username" />
      <input id="tessera-password" name="password" type="password" placeholder="password" autocomplete="current-password" />
      <button id="tessera-login" type="submit">Sign in</button>
      <button id="tessera-logout" type="button">Sign out</button>
      <input id="tessera-token" name="token" type="password" placeholder="or paste an access token" autocomplete="off" />
      <button id="tessera-use-token" type="button">Use token</button>
    </form>
    <div id="root"></div>
  </body>
</html>
`;
}

/**
 * The page's start script (served as `tessera-graphiql.js`, loaded before the GraphiQL bundle). It
 * - points Monaco's workers at their files on this server;
 * - renders Yoga's GraphiQL on the page's endpoint, with the browser's session cookie (same-origin credentials) and,
 *   when one was given in the bar, `Authorization: Bearer <token>` on every request and `access_token` in graphql-ws's
 *   connection_init for subscriptions (spec 9); GraphiQL's own headers editor can add any header per request;
 * - keeps `?query=` out of the address bar (GraphiQL writes it there on each edit, and `GET /graphql?query=` runs the
 *   query instead of serving this page; GraphiQL keeps its tabs in localStorage anyway);
 * - signs in with `POST /auth/login {mode: "session"}` (the session cookie) and out with `POST /auth/logout`, and
 *   shows who the page runs as (`GET /users/me`). A sign-in or a token change reloads the page, so GraphiQL fetches
 *   the schema of the new role.
 */
export const GRAPHIQL_SCRIPT = `(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('tessera-graphiql-config').textContent);
  var TOKEN_KEY = 'tessera:graphiql:token';
  var WORKERS = { json: 'json', graphql: 'graphql' };
  self.MonacoEnvironment = {
    globalAPI: false,
    getWorkerUrl: function (_moduleId, label) {
      return config.assets + '/workers/' + (WORKERS[label] || 'editorWorkerService') + '.js';
    },
  };
  function token() {
    try { return sessionStorage.getItem(TOKEN_KEY) || ''; } catch (e) { return ''; }
  }
  function setToken(value) {
    try { value ? sessionStorage.setItem(TOKEN_KEY, value) : sessionStorage.removeItem(TOKEN_KEY); } catch (e) {}
  }
  function authHeaders() {
    var t = token();
    return t ? { Authorization: 'Bearer ' + t } : {};
  }
  function $(id) { return document.getElementById(id); }
  function showError(message) { $('tessera-auth-error').textContent = message || ''; }
  function post(path, body) {
    return fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
    }).then(function (res) {
      if (res.ok) return null;
      return res.json().then(
        function (b) { return (b && b.errors && b.errors[0] && b.errors[0].message) || 'HTTP ' + res.status; },
        function () { return 'HTTP ' + res.status; }
      );
    });
  }
  function whoami() {
    var label = $('tessera-whoami');
    var via = token() ? ' (access token)' : ' (session cookie)';
    fetch('/users/me?fields=id,email', { credentials: 'same-origin', headers: Object.assign({ Accept: 'application/json' }, authHeaders()) })
      .then(function (res) { return res.ok ? res.json() : null; })
      .then(function (body) {
        // A role that may not read its own email still gets its id (as Directus answers /users/me).
        var me = body && body.data && (body.data.email || body.data.id);
        label.textContent = me ? 'Signed in as ' + me + via : 'Public (not signed in)';
        $('tessera-logout').hidden = !me || !!token();
      })
      .catch(function () { label.textContent = 'Public (not signed in)'; });
  }
  function bindBar() {
    $('tessera-auth').addEventListener('submit', function (event) {
      event.preventDefault();
      showError('');
      post('/auth/login', { email: $('tessera-email').value, password: $('tessera-password').value, mode: 'session' })
        .then(function (error) {
          if (error) return showError(error);
          setToken('');
          location.reload();
        });
    });
    $('tessera-logout').addEventListener('click', function () {
      post('/auth/logout', { mode: 'session' }).then(function () { location.reload(); });
    });
    $('tessera-use-token').addEventListener('click', function () {
      setToken($('tessera-token').value.trim());
      location.reload();
    });
    if (token()) {
      $('tessera-token').value = token();
      $('tessera-use-token').textContent = 'Update token';
    }
  }
  function stripQueryFromUrl() {
    var url = new URL(location.href);
    if (!url.searchParams.has('query')) return;
    url.searchParams.delete('query');
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);
  }
  function start() {
    bindBar();
    whoami();
    var t = token();
    YogaGraphiQL.renderYogaGraphiQL(document.getElementById('root'), {
      endpoint: config.endpoint,
      title: 'Tessera',
      credentials: 'same-origin',
      additionalHeaders: authHeaders(),
      subscriptionsProtocol: 'WS',
      subscriptionsEndpoint: config.subscriptions
        ? new URL(config.subscriptions, location.href).href.replace(/^http/, 'ws')
        : undefined,
      connectionParams: t ? { access_token: t } : {},
      defaultQuery: '',
      onEditQuery: stripQueryFromUrl,
    });
  }
  stripQueryFromUrl();
  // The bundle is a deferred script: it has run by DOMContentLoaded.
  document.addEventListener('DOMContentLoaded', start);
})();
`;
