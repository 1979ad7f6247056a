// End-to-end harness: starts tools/mock-upstream and omniroute on free ports, logs in, creates
// a gateway API key and one provider connection per upstream wire format, and stops both
// processes again (also when a test fails or the test process dies).
//
// Binaries come from OMNI_BINARY / OMNI_MOCK_UPSTREAM (run.sh sets them), else build/dev.
//
//   const stack = await startStack();
//   stack.gatewayUrl            http://127.0.0.1:PORT
//   stack.apiKey                a gateway API key (the SDKs send it as their provider key)
//   stack.model('anthropic')    'anthropic/mock-small'
//   await stack.setFaults([...]), stack.requests(), stack.clearRequests()
//   await stack.stop()
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, createWriteStream, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');

// Absolute paths: the children run in a temp dir.
export const OMNI_BINARY = path.resolve(process.env.OMNI_BINARY || path.join(repoRoot, 'build/dev/omniroute'));
export const MOCK_BINARY = path.resolve(
  process.env.OMNI_MOCK_UPSTREAM || path.join(repoRoot, 'build/dev/tools/mock-upstream/mock-upstream'),
);

const READY_TIMEOUT_MS = Number(process.env.OMNI_E2E_READY_TIMEOUT_MS || 30000);
const STOP_TIMEOUT_MS = 10000;
const PASSWORD = '123456';

// The four upstream wire formats and the model prefix that reaches each one.
export const UPSTREAMS = [
  { format: 'openai', prefix: 'openai' }, // catalog provider, OpenAI Chat wire
  { format: 'anthropic', prefix: 'anthropic' }, // catalog provider, Anthropic Messages wire
  { format: 'gemini', prefix: 'gemini' }, // catalog provider, Gemini generateContent wire
  { format: 'responses', prefix: 'resp' }, // provider node with format "responses"
];
export const MOCK_MODEL = 'mock-small';

// Every child and temp dir we made, so an abnormal exit of the test process still cleans up.
const live = new Set();
const tempDirs = new Set();
process.on('exit', () => {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  }
  if (!process.env.OMNI_E2E_KEEP) for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    for (const child of live) child.kill('SIGKILL');
    process.exit(130);
  });
}

// A spawned binary: waits for a ready line on stdout, keeps its output in log files.
class Child {
  constructor(name, binary, args, { cwd, env, logDir }) {
    if (!existsSync(binary)) throw new Error(`${name}: binary not found: ${binary} (build it, or set the env path)`);
    this.name = name;
    this.stdoutPath = path.join(logDir, `${name}.stdout.log`);
    this.stderrPath = path.join(logDir, `${name}.stderr.log`);
    const out = createWriteStream(this.stdoutPath);
    const err = createWriteStream(this.stderrPath);
    this.proc = spawn(binary, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(this.proc);
    this.exited = new Promise((resolve) => {
      this.proc.once('exit', (code, signal) => {
        live.delete(this.proc);
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      });
    });
    this.spawnError = new Promise((resolve) =>
      this.proc.once('error', (e) => {
        // Never started (ENOENT, EACCES): there will be no 'exit' event.
        live.delete(this.proc);
        this.exitInfo ??= { error: e.message };
        resolve(e);
      }),
    );
    this.stdoutText = '';
    this.proc.stdout.on('data', (d) => {
      out.write(d);
      if (this.stdoutText.length < 65536) this.stdoutText += d.toString('utf8');
      this.onStdout?.();
    });
    this.proc.stderr.on('data', (d) => err.write(d));
  }

  // Resolves with the first match of `pattern` in stdout; rejects on exit or timeout.
  waitFor(pattern, timeoutMs = READY_TIMEOUT_MS) {
    return new Promise((resolve, reject) => {
      let timer;
      const done = (fn, v) => {
        clearTimeout(timer);
        this.onStdout = null;
        fn(v);
      };
      const check = () => {
        const m = this.stdoutText.match(pattern);
        if (m) done(resolve, m);
      };
      this.onStdout = check;
      timer = setTimeout(
        () => done(reject, new Error(`${this.name}: no ready line within ${timeoutMs} ms\n${this.describe()}`)),
        timeoutMs,
      );
      this.exited.then(() => done(reject, new Error(`${this.name} exited early ${JSON.stringify(this.exitInfo)}\n${this.describe()}`)));
      this.spawnError.then((e) => done(reject, new Error(`${this.name}: could not start: ${e.message}`)));
      check();
    });
  }

  describe() {
    let stderr = '';
    try {
      stderr = readFileSync(this.stderrPath, 'utf8').slice(-4000);
    } catch {
      /* not written yet */
    }
    return `--- ${this.name} stdout ---\n${this.stdoutText.slice(-4000)}\n--- ${this.name} stderr ---\n${stderr}`;
  }

  // SIGTERM, then SIGKILL after STOP_TIMEOUT_MS. Resolves with the exit info.
  async stop() {
    if (this.exitInfo || this.proc.pid === undefined) return this.exitInfo;
    this.proc.kill('SIGTERM');
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), STOP_TIMEOUT_MS);
    const info = await this.exited;
    clearTimeout(timer);
    return info;
  }
}

async function jsonFetch(url, { method = 'GET', headers = {}, body } = {}) {
  const init = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    init.headers['Content-Type'] = 'application/json';
  }
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(15000) });
  const text = await res.text();
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

export class Stack {
  // Starts mock-upstream and omniroute, then configures the gateway. Throws (after cleaning up)
  // when anything fails.
  static async start({ workers = 2, env = {} } = {}) {
    const stack = new Stack();
    try {
      await stack.#start(workers, env);
    } catch (e) {
      await stack.stop();
      throw e;
    }
    return stack;
  }

  async #start(workers, extraEnv) {
    this.dir = mkdtempSync(path.join(tmpdir(), 'omni-e2e-'));
    tempDirs.add(this.dir);
    // A clean environment: no PORT/HOSTNAME/DATA_DIR/REQUIRE_API_KEY from the caller's shell,
    // and HOME/cwd in the temp dir so no ./.env or ~/.omniroute/.env is picked up.
    const env = {
      PATH: process.env.PATH || '/usr/bin:/bin',
      HOME: this.dir,
      LANG: 'C.UTF-8',
      INITIAL_PASSWORD: PASSWORD,
      ENABLE_REQUEST_LOGS: 'true',
      ...extraEnv,
    };
    this.mock = new Child('mock-upstream', MOCK_BINARY, ['--host', '127.0.0.1', '--port', '0'], {
      cwd: this.dir,
      env,
      logDir: this.dir,
    });
    const mockReady = await this.mock.waitFor(/mock-upstream listening on (\d+)/);
    this.mockPort = Number(mockReady[1]);
    this.mockUrl = `http://127.0.0.1:${this.mockPort}`;

    const dataDir = path.join(this.dir, 'data');
    this.gateway = new Child(
      'omniroute',
      OMNI_BINARY,
      ['--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir, '--workers', String(workers)],
      { cwd: this.dir, env, logDir: this.dir },
    );
    const gwReady = await this.gateway.waitFor(/omniroute ready on http:\/\/[^\s:]+:(\d+)/);
    this.gatewayPort = Number(gwReady[1]);
    this.gatewayUrl = `http://127.0.0.1:${this.gatewayPort}`;

    const login = await jsonFetch(`${this.gatewayUrl}/api/auth/login`, {
      method: 'POST',
      body: { password: PASSWORD },
    });
    const cookie = login.headers.get('set-cookie');
    if (login.status !== 200 || !cookie) throw new Error(`login failed: ${login.status} ${login.text}`);
    this.cookie = cookie.split(';')[0];

    const key = await this.admin('POST', '/api/keys', { name: 'e2e' });
    this.apiKey = key.key;
    if (!this.apiKey) throw new Error(`no key in POST /api/keys answer: ${JSON.stringify(key)}`);

    const base = { openai: '/v1', anthropic: '/v1', gemini: '/v1beta', responses: '/v1' };
    for (const up of UPSTREAMS) {
      if (up.format === 'responses') {
        await this.admin('POST', '/api/provider-nodes', {
          name: 'resp',
          prefix: up.prefix,
          baseUrl: `${this.mockUrl}/v1`,
          format: 'responses',
        });
      }
      await this.admin('POST', '/api/providers', {
        provider: up.prefix,
        name: `mock-${up.format}`,
        apiKey: `sk-mock-${up.format}`,
        baseUrl: `${this.mockUrl}${base[up.format]}`,
        priority: 1,
      });
    }
  }

  // An admin API call with the session cookie and a same-origin Origin; throws on non-2xx.
  async admin(method, urlPath, body) {
    const res = await jsonFetch(`${this.gatewayUrl}${urlPath}`, {
      method,
      body,
      headers: { Cookie: this.cookie, Origin: this.gatewayUrl },
    });
    if (res.status < 200 || res.status >= 300) {
      throw new Error(`${method} ${urlPath} → ${res.status} ${res.text}`);
    }
    return res.json;
  }

  model(prefix, model = MOCK_MODEL) {
    return `${prefix}/${model}`;
  }

  // --- mock control API -----------------------------------------------------------------
  async mockCall(method, urlPath, body) {
    const res = await jsonFetch(`${this.mockUrl}${urlPath}`, { method, body });
    if (res.status < 200 || res.status >= 300) throw new Error(`mock ${method} ${urlPath} → ${res.status} ${res.text}`);
    return res.json;
  }
  setFaults(rules) {
    return this.mockCall('POST', '/__mock/faults', { faults: rules });
  }
  clearFaults() {
    return this.mockCall('DELETE', '/__mock/faults');
  }
  // Recorded upstream requests: [{method, target, headers, body (string)}].
  async requests() {
    const r = await this.mockCall('GET', '/__mock/requests');
    return Array.isArray(r) ? r : r.requests;
  }
  clearRequests() {
    return this.mockCall('DELETE', '/__mock/requests');
  }
  // Clears faults and recordings: call at the start of each test.
  async reset() {
    await this.clearFaults();
    await this.clearRequests();
  }
  // The last recorded request with its body parsed.
  async lastRequest() {
    const all = await this.requests();
    if (!all.length) throw new Error('the mock recorded no request');
    const r = all[all.length - 1];
    let json;
    try {
      json = JSON.parse(r.body);
    } catch {
      json = undefined;
    }
    return { ...r, json };
  }

  // The tail of both processes' logs (for assertion messages).
  logs() {
    return [this.gateway?.describe(), this.mock?.describe()].filter(Boolean).join('\n');
  }

  // Stops both processes; removes the temp dir unless OMNI_E2E_KEEP is set. Idempotent.
  async stop() {
    const results = {};
    if (this.gateway) results.gateway = await this.gateway.stop();
    if (this.mock) results.mock = await this.mock.stop();
    if (this.dir && !process.env.OMNI_E2E_KEEP) {
      rmSync(this.dir, { recursive: true, force: true });
      tempDirs.delete(this.dir);
    } else if (this.dir) {
      process.stderr.write(`e2e: kept logs and data in ${this.dir}\n`);
    }
    this.gateway = this.mock = null;
    return results;
  }
}

export const startStack = (opts) => Stack.start(opts);

// --- small helpers shared by the tests ------------------------------------------------------

// A fetch that records every request an SDK sends (url, method, headers, body text) and
// passes it on to the real fetch. Use as the SDK's `fetch` option.
export function recordingFetch() {
  const calls = [];
  const f = async (input, init = {}) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    let body = init.body;
    if (body !== undefined && typeof body !== 'string') {
      body = Buffer.from(body instanceof ArrayBuffer ? new Uint8Array(body) : body).toString('utf8');
    }
    const headers = Object.fromEntries(new Headers(init.headers || {}).entries());
    const res = await fetch(input, init);
    calls.push({ url, method: init.method || 'GET', headers, body, status: res.status, resHeaders: res.headers });
    return res;
  };
  f.calls = calls;
  return f;
}

// Tool definition used by every tool round trip (each SDK shapes it its own way).
export const WEATHER_TOOL = {
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string', description: 'City name' } },
    required: ['city'],
  },
};
export const WEATHER_ARGS = { city: 'Paris' };
export const WEATHER_RESULT = 'sunny 21C';

// A fault rule that makes the next generation answer a get_weather tool call.
export const toolCallRule = () => ({ times: 1, tool_call: { name: WEATHER_TOOL.name, arguments: WEATHER_ARGS } });

// The upstream path each wire format is called on (as the mock records it).
export function expectedTarget(format, stream, model = MOCK_MODEL) {
  switch (format) {
    case 'openai':
      return '/v1/chat/completions';
    case 'anthropic':
      return '/v1/messages';
    case 'responses':
      return '/v1/responses';
    case 'gemini':
      return stream
        ? `/v1beta/models/${model}:streamGenerateContent?alt=sse`
        : `/v1beta/models/${model}:generateContent`;
  }
  throw new Error(`unknown format ${format}`);
}

// Whether a recorded upstream body asks for a stream, in that format's own way.
export function upstreamStreams(format, rec) {
  if (format === 'gemini') return rec.target.includes(':streamGenerateContent');
  return rec.json?.stream === true;
}

// Tool names declared in an upstream body of the given wire format.
export function upstreamToolNames(format, body) {
  const tools = body?.tools ?? [];
  switch (format) {
    case 'openai':
      return tools.map((t) => t.function?.name);
    case 'anthropic':
    case 'responses':
      return tools.map((t) => t.name);
    case 'gemini':
      return tools.flatMap((t) => (t.functionDeclarations ?? []).map((d) => d.name));
  }
  throw new Error(`unknown format ${format}`);
}

// Tool parameter schemas by tool name in an upstream body of the given wire format.
export function upstreamToolSchemas(format, body) {
  const out = {};
  for (const t of body?.tools ?? []) {
    if (format === 'openai') out[t.function?.name] = t.function?.parameters;
    else if (format === 'anthropic') out[t.name] = t.input_schema;
    else if (format === 'responses') out[t.name] = t.parameters;
    else if (format === 'gemini')
      for (const d of t.functionDeclarations ?? []) out[d.name] = d.parameters ?? d.parametersJsonSchema;
  }
  return out;
}

// Asserts the mock's last request went to `format`'s endpoint (stream or not) and returns it.
export async function checkUpstream(stack, assert, format, { stream = false } = {}) {
  const rec = await stack.lastRequest();
  assert.equal(rec.target, expectedTarget(format, stream), `upstream target for ${format}`);
  assert.equal(upstreamStreams(format, rec), stream, `upstream stream flag for ${format}: ${rec.body.slice(0, 300)}`);
  return rec;
}

// All system/instruction text of an upstream body of the given wire format, joined by "\n".
export function upstreamSystemText(format, body) {
  const partsText = (c) =>
    typeof c === 'string' ? c : Array.isArray(c) ? c.map((p) => p?.text ?? '').join('\n') : '';
  switch (format) {
    case 'openai':
      return (body.messages ?? [])
        .filter((m) => m.role === 'system' || m.role === 'developer')
        .map((m) => partsText(m.content))
        .join('\n');
    case 'anthropic':
      return partsText(body.system ?? '');
    case 'gemini':
      return partsText(body.systemInstruction?.parts ?? []);
    case 'responses': {
      const fromInput = Array.isArray(body.input)
        ? body.input.filter((i) => i.role === 'system' || i.role === 'developer').map((i) => partsText(i.content))
        : [];
      return [body.instructions ?? '', ...fromInput].join('\n');
    }
  }
  throw new Error(`unknown format ${format}`);
}

// Deep-equal of two objects reported per top-level field (readable failures on big bodies).
export function assertFieldsEqual(assert, actual, expected, what) {
  const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
  for (const k of keys) {
    assert.ok(k in actual, `${what}: field "${k}" missing upstream`);
    assert.ok(k in expected, `${what}: field "${k}" added upstream: ${JSON.stringify(actual[k]).slice(0, 300)}`);
    assert.deepStrictEqual(actual[k], expected[k], `${what}: field "${k}" differs`);
  }
}

// Stops the stack (if it started) and asserts both processes shut down cleanly: exit code 0 on
// SIGTERM, so a crash during the tests fails the file even if every request looked fine.
export async function stopAndCheck(stack) {
  if (!stack) return;
  const exit = await stack.stop();
  const clean = { code: 0, signal: null };
  if (JSON.stringify(exit.gateway) !== JSON.stringify(clean) || JSON.stringify(exit.mock) !== JSON.stringify(clean)) {
    throw new Error(`unclean shutdown: ${JSON.stringify(exit)}`);
  }
}
