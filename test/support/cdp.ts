/**
 * A small Chrome DevTools Protocol client over `--remote-debugging-pipe` (no package): the browser
 * reads NUL-terminated JSON commands on its fd 3 and writes replies and events on its fd 4.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);

type Json = Record<string, unknown>;

export class Browser {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: Json) => void; reject: (e: Error) => void }>();
  private readonly listeners: ((m: Json) => void)[] = [];
  private buffer = '';
  stderr = '';

  private constructor(
    private readonly proc: ChildProcess,
    private readonly profile: string,
  ) {
    // The pipes' own errors (EPIPE, ECONNRESET when the browser is gone) surface through 'exit' below.
    (proc.stdio[3] as Writable).on('error', () => {});
    const out = proc.stdio[4] as Readable;
    out.on('error', () => {});
    out.setEncoding('utf8');
    out.on('data', (chunk: string) => {
      this.buffer += chunk;
      let i: number;
      while ((i = this.buffer.indexOf('\0')) !== -1) {
        const msg = JSON.parse(this.buffer.slice(0, i)) as Json;
        this.buffer = this.buffer.slice(i + 1);
        const id = msg.id as number | undefined;
        const p = id !== undefined ? this.pending.get(id) : undefined;
        if (p !== undefined && id !== undefined) {
          this.pending.delete(id);
          if (msg.error !== undefined) p.reject(new Error(JSON.stringify(msg.error)));
          else p.resolve((msg.result ?? {}) as Json);
        } else for (const l of this.listeners) l(msg);
      }
    });
    // A browser that dies (or never starts) fails every pending call instead of hanging the test.
    proc.on('exit', (code, signal) => {
      for (const p of this.pending.values()) p.reject(new Error(`chromium exited (${signal ?? code}): ${this.stderr.slice(-500)}`));
      this.pending.clear();
    });
    proc.on('error', (e) => {
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    });
    proc.stderr?.setEncoding('utf8');
    proc.stderr?.on('data', (s: string) => {
      this.stderr = (this.stderr + s).slice(-4000);
    });
  }

  static async launch(): Promise<Browser> {
    const profile = mkdtempSync(join(tmpdir(), 'enospc-chromium-'));
    const proc = spawn(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-dev-shm-usage',
        `--user-data-dir=${profile}`,
        '--remote-debugging-pipe',
        'about:blank',
      ],
      { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] },
    );
    const b = new Browser(proc, profile);
    try {
      await b.send('Browser.getVersion');
    } catch (e) {
      await b.close();
      throw e;
    }
    return b;
  }

  send(method: string, params: Json = {}, sessionId?: string): Promise<Json> {
    const id = this.nextId++;
    const msg: Json = { id, method, params };
    if (sessionId !== undefined) msg.sessionId = sessionId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      (this.proc.stdio[3] as Writable).write(`${JSON.stringify(msg)}\0`);
    });
  }

  /** Resolves with the first event of this name (for this session) after the call. */
  waitFor(method: string, sessionId?: string): Promise<Json> {
    return new Promise((resolve) => {
      const l = (m: Json): void => {
        if (m.method === method && (sessionId === undefined || m.sessionId === sessionId)) {
          this.listeners.splice(this.listeners.indexOf(l), 1);
          resolve((m.params ?? {}) as Json);
        }
      };
      this.listeners.push(l);
    });
  }

  /** Opens a page at `url` and returns a session attached to it, after its load event. */
  async open(url: string, width = 1200, height = 900): Promise<Page> {
    const { targetId } = (await this.send('Target.createTarget', { url: 'about:blank' })) as { targetId: string };
    const { sessionId } = (await this.send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
    await this.send('Page.enable', {}, sessionId);
    await this.send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false }, sessionId);
    const loaded = this.waitFor('Page.loadEventFired', sessionId);
    await this.send('Page.navigate', { url }, sessionId);
    await loaded;
    return new Page(this, sessionId);
  }

  async close(): Promise<void> {
    const exited = new Promise((r) => (this.proc.exitCode !== null ? r(undefined) : this.proc.once('exit', r)));
    try {
      void this.send('Browser.close').catch(() => {});
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    } finally {
      if (this.proc.exitCode === null) {
        this.proc.kill('SIGKILL');
        await exited;
      }
      rmSync(this.profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    }
  }
}

export class Page {
  constructor(
    private readonly browser: Browser,
    readonly sessionId: string,
  ) {}

  /** Evaluates an expression in the page (promises awaited) and returns its JSON value. */
  async evaluate<T>(expression: string): Promise<T> {
    const r = (await this.browser.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true }, this.sessionId)) as {
      result: { value: T };
      exceptionDetails?: { text: string; exception?: { description?: string } };
    };
    if (r.exceptionDetails !== undefined) throw new Error(r.exceptionDetails.exception?.description ?? r.exceptionDetails.text);
    return r.result.value;
  }

  /** Inserts text at the focused element as a paste or typing would (fires `input`). */
  async insertText(text: string): Promise<void> {
    await this.browser.send('Input.insertText', { text }, this.sessionId);
  }

  async screenshot(): Promise<Buffer> {
    const { data } = (await this.browser.send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: false }, this.sessionId)) as { data: string };
    return Buffer.from(data, 'base64');
  }
}
