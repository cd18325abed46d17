import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';

/**
 * A real headless Chromium driven over the Chrome DevTools Protocol with the `ws` package (no puppeteer): enough to
 * open a page, click, type, evaluate, and record every request the page and its workers send.
 *
 * The browser is Debian's `chromium` (`CHROMIUM_PATH` overrides; .ci/run installs the package). A missing browser is
 * an error, not a skip.
 */

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/**
 * How long one step (a page load, an element or a value to appear) may take. Generous: on a loaded shared machine
 * Chromium parsing GraphiQL's bundle or rendering Monaco can take tens of seconds; a real failure still ends with the
 * step's own message (what it waited for, the last value), well before the test's budget (see BROWSER_TEST_MS).
 */
export const STEP_TIMEOUT_MS = 90_000;
/** A budget for a test made of several steps (Jest's per-test timeout for the browser tests). */
export const BROWSER_TEST_MS = 6 * STEP_TIMEOUT_MS;

export function chromiumPath(): string {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) {
    if (!existsSync(configured)) throw new Error(`CHROMIUM_PATH=${configured} does not exist`);
    return configured;
  }
  const found = CANDIDATES.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      `No Chromium found (looked for ${CANDIDATES.join(', ')}). The GraphiQL browser test needs Debian's chromium ` +
        `package: apt-get install chromium (.ci/run installs it), or set CHROMIUM_PATH.`,
    );
  }
  return found;
}

type Params = Record<string, unknown>;
type Listener = (params: Params, sessionId: string | undefined) => void;

export interface RecordedRequest {
  readonly url: string;
  readonly method: string;
  readonly type: string | undefined;
}

export class Browser {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: Params): void; reject(e: Error): void; method: string }>();
  private readonly listeners = new Map<string, Set<Listener>>();

  private constructor(
    private readonly process: ChildProcess,
    private readonly socket: WebSocket,
    private readonly profile: string,
  ) {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as {
        id?: number;
        result?: Params;
        error?: { message: string };
        method?: string;
        params?: Params;
        sessionId?: string;
      };
      if (message.id !== undefined) {
        const call = this.pending.get(message.id);
        if (!call) return;
        this.pending.delete(message.id);
        if (message.error) call.reject(new Error(`${call.method}: ${message.error.message}`));
        else call.resolve(message.result ?? {});
      } else if (message.method) {
        for (const listener of this.listeners.get(message.method) ?? []) {
          listener(message.params ?? {}, message.sessionId);
        }
      }
    });
    socket.on('close', () => {
      for (const call of this.pending.values()) call.reject(new Error(`${call.method}: browser connection closed`));
      this.pending.clear();
    });
  }

  static async launch(): Promise<Browser> {
    const executable = chromiumPath();
    const profile = mkdtempSync(join(tmpdir(), 'tessera-chromium-'));
    const child = spawn(
      executable,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--no-first-run',
        '--no-default-browser-check',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-extensions',
        '--remote-debugging-port=0',
        '--remote-debugging-address=127.0.0.1',
        `--user-data-dir=${profile}`,
        '--window-size=1280,900',
        'about:blank',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const endpoint = await new Promise<string>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(
        () => reject(new Error(`Chromium did not start within ${STEP_TIMEOUT_MS / 1000} s:\n${output}`)),
        STEP_TIMEOUT_MS,
      );
      child.stderr!.on('data', (chunk: Buffer) => {
        output += String(chunk);
        const match = /DevTools listening on (ws:\/\/\S+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(new Error(`Chromium (${executable}) failed to start: ${error.message}`));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`Chromium exited with ${code} before listening:\n${output}`));
      });
    });
    const socket = new WebSocket(endpoint, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return new Browser(child, socket, profile);
  }

  send(method: string, params: Params = {}, sessionId?: string): Promise<Params> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, method });
      this.socket.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    });
  }

  on(method: string, listener: Listener): () => void {
    let set = this.listeners.get(method);
    if (!set) this.listeners.set(method, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  /** A new tab, with every request of the page and of its workers recorded. */
  async newPage(): Promise<Page> {
    // Each page in a context of its own: no cookies or storage shared with another page.
    const { browserContextId } = (await this.send('Target.createBrowserContext', { disposeOnDetach: true })) as {
      browserContextId: string;
    };
    const { targetId } = (await this.send('Target.createTarget', { url: 'about:blank', browserContextId })) as {
      targetId: string;
    };
    const { sessionId } = (await this.send('Target.attachToTarget', { targetId, flatten: true })) as {
      sessionId: string;
    };
    const page = new Page(this, sessionId);
    await page.init();
    return page;
  }

  async close(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([this.send('Browser.close'), new Promise((r) => (timer = setTimeout(r, 2000)))]);
    } catch {
      // already gone
    } finally {
      clearTimeout(timer);
    }
    this.socket.close();
    if (this.process.exitCode === null && this.process.signalCode === null) {
      const exited = new Promise((r) => this.process.once('exit', r));
      this.process.kill('SIGKILL');
      await exited;
    }
    rmSync(this.profile, { recursive: true, force: true });
  }
}

export class Page {
  /** Every request the page, its frames and its workers sent, in order. */
  readonly requests: RecordedRequest[] = [];
  private readonly sessions = new Set<string>();

  constructor(
    private readonly browser: Browser,
    private readonly sessionId: string,
  ) {}

  async init(): Promise<void> {
    this.sessions.add(this.sessionId);
    this.browser.on('Network.requestWillBeSent', (params, sessionId) => {
      if (!sessionId || !this.sessions.has(sessionId)) return;
      const request = params.request as { url: string; method: string };
      this.requests.push({ url: request.url, method: request.method, type: params.type as string | undefined });
    });
    // Workers (Monaco's) are targets of their own: attach to them too, so their requests are recorded.
    this.browser.on('Target.attachedToTarget', (params, parent) => {
      if (!parent || !this.sessions.has(parent)) return;
      const child = params.sessionId as string;
      this.sessions.add(child);
      void this.browser
        .send('Network.enable', {}, child)
        .catch(() => undefined)
        .then(() => this.browser.send('Runtime.runIfWaitingForDebugger', {}, child))
        .catch(() => undefined);
    });
    await this.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: true });
    await this.send('Network.enable');
    await this.send('Page.enable');
    await this.send('Runtime.enable');
  }

  send(method: string, params: Params = {}): Promise<Params> {
    return this.browser.send(method, params, this.sessionId);
  }

  /** Navigates and waits for the load event. */
  async goto(url: string): Promise<void> {
    const loaded = this.next('Page.loadEventFired');
    const result = (await this.send('Page.navigate', { url })) as { errorText?: string };
    if (result.errorText) throw new Error(`navigation to ${url} failed: ${result.errorText}`);
    await loaded;
  }

  /** Resolves on the next such event of this page (STEP_TIMEOUT_MS at most). */
  next(method: string, timeout = STEP_TIMEOUT_MS): Promise<Params> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`no ${method} within ${timeout} ms`));
      }, timeout);
      const off = this.browser.on(method, (params, sessionId) => {
        if (sessionId !== this.sessionId) return;
        clearTimeout(timer);
        off();
        resolve(params);
      });
    });
  }

  /** Evaluates an expression in the page (promises awaited) and returns its value. */
  async evaluate<T>(expression: string): Promise<T> {
    const result = (await this.send('Runtime.evaluate', {
      expression,
      awaitPromise: true,
      returnByValue: true,
    })) as { result: { value?: T }; exceptionDetails?: { exception?: { description?: string }; text: string } };
    if (result.exceptionDetails) {
      throw new Error(
        `in page: ${result.exceptionDetails.exception?.description ?? result.exceptionDetails.text} (${expression})`,
      );
    }
    return result.result.value as T;
  }

  /** Polls an expression until it is truthy, and returns that value. */
  async waitFor<T>(expression: string, what: string, timeout = STEP_TIMEOUT_MS): Promise<T> {
    const deadline = Date.now() + timeout;
    let last: unknown;
    for (;;) {
      let failed = false;
      last = await this.evaluate<T>(expression).catch((error: unknown) => {
        failed = true;
        return String(error);
      });
      if (last && !failed) return last as T;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** A real mouse click in the middle of the first element matching `selector`. */
  async click(selector: string): Promise<void> {
    const box = await this.waitFor<{ x: number; y: number }>(
      `(() => { const e = document.querySelector(${JSON.stringify(selector)}); if (!e) return null;
        const r = e.getBoundingClientRect(); return r.width > 0 ? { x: r.x + r.width / 2, y: r.y + r.height / 2 } : null; })()`,
      `a visible ${selector}`,
    );
    for (const type of ['mouseMoved', 'mousePressed', 'mouseReleased']) {
      await this.send('Input.dispatchMouseEvent', { type, x: box.x, y: box.y, button: 'left', clickCount: 1 });
    }
  }

  /** Types text at the focus as the keyboard would (one insertText). */
  async type(text: string): Promise<void> {
    await this.send('Input.insertText', { text });
  }

  /** Ctrl+A (select all) in the focused element. */
  async selectAll(): Promise<void> {
    const key = { key: 'a', code: 'KeyA', windowsVirtualKeyCode: 65, modifiers: 2, commands: ['selectAll'] };
    await this.send('Input.dispatchKeyEvent', { type: 'keyDown', ...key });
    await this.send('Input.dispatchKeyEvent', { type: 'keyUp', ...key });
  }

  /** Ctrl+Enter. */
  async ctrlEnter(): Promise<void> {
    const key = { key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13, modifiers: 2 };
    await this.send('Input.dispatchKeyEvent', { type: 'rawKeyDown', ...key });
    await this.send('Input.dispatchKeyEvent', { type: 'keyUp', ...key });
  }
}
