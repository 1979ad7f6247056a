// A Claude Code–shaped request (≈26 KB: cached system blocks, 18 tools with JSON schemas,
// thinking with a budget, signed thinking + tool_use/tool_result history, anthropic-beta,
// ?beta=true, base URL ending in /v1) sent through the Anthropic SDK's beta client.
//  - Anthropic upstream: the upstream body equals the client's, model aside; headers unchanged.
//  - Other upstreams: system text, every tool (name with its case, description, schema) and the
//    tool history survive translation.
import { describe, test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import {
  startStack,
  stopAndCheck,
  recordingFetch,
  upstreamSystemText,
  upstreamToolNames,
  upstreamToolSchemas,
  assertFieldsEqual,
  expectedTarget,
} from './harness.mjs';
import { claudeCodeRequest, CLAUDE_CODE_BETAS, CLAUDE_CODE_SYSTEM, CLAUDE_CODE_TOOLS } from './shapes.mjs';

let stack;
let client;
let fetchLog;

// Headers Claude Code adds to every call (besides the SDK's own x-stainless-* ones).
const CLAUDE_CODE_HEADERS = {
  'x-app': 'cli',
  'anthropic-dangerous-direct-browser-access': 'true',
};

before(async () => {
  stack = await startStack();
  fetchLog = recordingFetch();
  client = new Anthropic({
    apiKey: stack.apiKey,
    baseURL: `${stack.gatewayUrl}/v1`, // → /v1/v1/messages?beta=true
    maxRetries: 0,
    timeout: 30000,
    fetch: fetchLog,
    defaultHeaders: CLAUDE_CODE_HEADERS,
  });
});
after(async () => {
  await stopAndCheck(stack);
});

// Sends the request like Claude Code does (beta client + anthropic-beta header + ?beta=true;
// the pinned SDK's beta client no longer adds the query by itself, Claude Code's build does).
const BETA_QUERY = { query: { beta: 'true' } };
// Returns { sent: the SDK's request (url, headers, parsed body), message: the final message }.
async function sendClaudeCode(model, { stream }) {
  const body = claudeCodeRequest(model, { stream });
  let message;
  if (stream) {
    const s = await client.beta.messages.create({ ...body, betas: CLAUDE_CODE_BETAS }, BETA_QUERY);
    const blocks = [];
    let stopReason;
    for await (const ev of s) {
      if (ev.type === 'content_block_start') blocks[ev.index] = structuredClone(ev.content_block);
      if (ev.type === 'content_block_delta') {
        const b = blocks[ev.index];
        if (ev.delta.type === 'text_delta') b.text += ev.delta.text;
        if (ev.delta.type === 'thinking_delta') b.thinking += ev.delta.thinking;
        if (ev.delta.type === 'signature_delta') b.signature = (b.signature ?? '') + ev.delta.signature;
        if (ev.delta.type === 'input_json_delta') b.partial = (b.partial ?? '') + ev.delta.partial_json;
      }
      if (ev.type === 'message_delta') stopReason = ev.delta.stop_reason;
    }
    for (const b of blocks) {
      if (b?.type === 'tool_use' && b.partial !== undefined) {
        b.input = JSON.parse(b.partial);
        delete b.partial;
      }
    }
    message = { content: blocks.filter(Boolean), stop_reason: stopReason };
  } else {
    message = await client.beta.messages.create({ ...body, betas: CLAUDE_CODE_BETAS }, BETA_QUERY);
  }
  const call = fetchLog.calls.at(-1);
  return { sent: { ...call, json: JSON.parse(call.body) }, message, body };
}

// The scripted answer: some thinking, then a tool call (Claude Code's typical next step).
const ANSWER_RULE = {
  times: 1,
  thinking: 'The parser adds digits as strings; I will fix the addition.',
  tool_call: { name: 'Edit', arguments: { file_path: '/repo/parser.py', old_string: 'a + b', new_string: 'int(a) + int(b)' } },
};

function checkAnswer(message, { signed }) {
  const types = message.content.map((b) => b.type);
  const thinking = message.content.find((b) => b.type === 'thinking');
  assert.ok(thinking, `a thinking block: ${types}`);
  assert.equal(thinking.thinking, ANSWER_RULE.thinking);
  if (signed) assert.ok(thinking.signature, 'Anthropic thinking keeps its signature');
  const use = message.content.find((b) => b.type === 'tool_use');
  assert.ok(use, `a tool_use block: ${types}`);
  assert.equal(use.name, 'Edit');
  assert.deepEqual(use.input, ANSWER_RULE.tool_call.arguments);
  assert.ok(use.id, 'tool_use id');
  assert.equal(message.stop_reason, 'tool_use');
}

describe('Claude Code shape', () => {
  beforeEach(() => stack.reset());

  test('the fixture is Claude Code–sized', () => {
    const size = Buffer.byteLength(JSON.stringify(claudeCodeRequest('anthropic/mock-small')));
    assert.ok(size > 24000, `request is ${size} bytes`);
    assert.ok(CLAUDE_CODE_TOOLS.length >= 15);
  });

  for (const stream of [true, false]) {
    test(`→ Anthropic upstream (${stream ? 'stream' : 'non-stream'}): body and headers arrive unchanged but the model`, async () => {
      await stack.setFaults([ANSWER_RULE]);
      const { sent, message } = await sendClaudeCode('anthropic/mock-small', { stream });
      assert.ok(sent.url.endsWith('/v1/v1/messages?beta=true'), sent.url);
      assert.equal(sent.headers['anthropic-beta'], CLAUDE_CODE_BETAS.join(','));

      const rec = await stack.lastRequest();
      assert.equal(rec.target, '/v1/messages?beta=true');
      assert.ok(rec.json, `upstream body is JSON: ${rec.body.slice(0, 200)}`);
      assertFieldsEqual(assert, rec.json, { ...sent.json, model: 'mock-small' }, 'upstream body');
      assert.equal(rec.headers['anthropic-beta'], sent.headers['anthropic-beta'], 'anthropic-beta header');
      assert.equal(rec.headers['anthropic-version'], sent.headers['anthropic-version'], 'anthropic-version header');
      assert.equal(rec.headers['x-api-key'], 'sk-mock-anthropic', 'the connection key replaces the client key');
      checkAnswer(message, { signed: true });
    });
  }

  for (const format of ['openai', 'responses', 'gemini']) {
    const prefix = format === 'responses' ? 'resp' : format;
    test(`→ ${format} upstream: system text, tools and tool history survive translation`, async () => {
      await stack.setFaults([ANSWER_RULE]);
      const { message } = await sendClaudeCode(`${prefix}/mock-small`, { stream: true });
      const rec = await stack.lastRequest();
      assert.equal(rec.target, expectedTarget(format, true));
      const up = rec.json;

      // System text: every block, in order.
      const system = upstreamSystemText(format, up);
      let at = 0;
      for (const block of CLAUDE_CODE_SYSTEM) {
        const i = system.indexOf(block.text, at);
        assert.ok(i >= 0, `system block missing upstream: ${block.text.slice(0, 80)}`);
        at = i + block.text.length;
      }

      // Tools: same names (case kept), same order; same schemas where the format takes JSON Schema.
      assert.deepEqual(upstreamToolNames(format, up), CLAUDE_CODE_TOOLS.map((t) => t.name));
      const schemas = upstreamToolSchemas(format, up);
      for (const t of CLAUDE_CODE_TOOLS) {
        if (format === 'gemini') {
          // Gemini takes an OpenAPI subset: the gateway cleans schemas, properties must remain.
          assert.deepEqual(
            Object.keys(schemas[t.name]?.properties ?? {}).sort(),
            Object.keys(t.input_schema.properties).sort(),
            `${t.name} properties`,
          );
        } else {
          assert.deepEqual(schemas[t.name], t.input_schema, `${t.name} schema`);
        }
      }

      // Tool history: both calls and both results, linked by id.
      checkToolHistory(format, up);

      // Limits and reasoning in the upstream's own terms.
      if (format === 'openai') {
        assert.equal(up.max_completion_tokens ?? up.max_tokens, 32000, 'max tokens');
        assert.equal(up.reasoning_effort, 'high', 'thinking budget 10000 → effort high');
        assert.equal(up.stream, true);
      } else if (format === 'responses') {
        assert.equal(up.max_output_tokens, 32000, 'max tokens');
        assert.equal(up.reasoning?.effort, 'high', 'thinking budget 10000 → effort high');
      } else {
        assert.equal(up.generationConfig?.maxOutputTokens, 32000, 'max tokens');
        assert.equal(up.generationConfig?.thinkingConfig?.thinkingBudget, 10000, 'thinking budget');
      }

      checkAnswer(message, { signed: false });
    });
  }
});

// Both tool calls (Read toolu_01A, Bash toolu_01B) and their results, linked by id.
function checkToolHistory(format, up) {
  const want = [
    { id: 'toolu_01A', name: 'Read', args: { file_path: '/repo/tests/test_parser.py' }, result: 'def test_parse' },
    { id: 'toolu_01B', name: 'Bash', args: { command: 'python -m pytest tests/test_parser.py -q', description: 'Run the failing test' }, result: 'AssertionError: assert 12 == 3' },
  ];
  if (format === 'openai') {
    const calls = up.messages.flatMap((m) => m.tool_calls ?? []);
    const results = up.messages.filter((m) => m.role === 'tool');
    for (const w of want) {
      const c = calls.find((x) => x.id === w.id);
      assert.ok(c, `tool call ${w.id} upstream: ${JSON.stringify(calls)}`);
      assert.equal(c.function.name, w.name);
      assert.deepEqual(JSON.parse(c.function.arguments), w.args);
      const r = results.find((x) => x.tool_call_id === w.id);
      assert.ok(r, `tool result for ${w.id}`);
      assert.ok(JSON.stringify(r.content).includes(w.result), JSON.stringify(r.content));
    }
  } else if (format === 'responses') {
    for (const w of want) {
      const c = up.input.find((i) => i.type === 'function_call' && i.call_id === w.id);
      assert.ok(c, `function_call ${w.id} upstream`);
      assert.equal(c.name, w.name);
      assert.deepEqual(JSON.parse(c.arguments), w.args);
      const r = up.input.find((i) => i.type === 'function_call_output' && i.call_id === w.id);
      assert.ok(r, `function_call_output for ${w.id}`);
      assert.ok(JSON.stringify(r.output).includes(w.result), JSON.stringify(r.output));
    }
  } else {
    const parts = up.contents.flatMap((c) => c.parts ?? []);
    for (const w of want) {
      const c = parts.find((p) => p.functionCall?.name === w.name);
      assert.ok(c, `functionCall ${w.name} upstream`);
      assert.deepEqual(c.functionCall.args, w.args);
      const r = parts.find((p) => p.functionResponse?.name === w.name);
      assert.ok(r, `functionResponse for ${w.name}`);
      assert.ok(JSON.stringify(r.functionResponse.response).includes(w.result), JSON.stringify(r.functionResponse));
    }
  }
}
