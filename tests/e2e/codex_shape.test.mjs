// A Codex CLI–shaped Responses request (long instructions, developer/user items, a reasoning
// item with encrypted_content, function_call + function_call_output history, function tools,
// reasoning {effort, summary}, store:false, include, prompt_cache_key, text.verbosity) sent
// through the OpenAI SDK.
//  - Responses upstream: the upstream body equals the client's, model aside.
//  - OpenAI Chat upstream: instructions, tools and the call/result history survive translation.
import { describe, test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startStack, stopAndCheck, recordingFetch, assertFieldsEqual, upstreamSystemText, upstreamToolNames, upstreamToolSchemas } from './harness.mjs';
import { codexRequest, CODEX_INSTRUCTIONS, CODEX_TOOLS } from './shapes.mjs';

let stack;
let client;
let fetchLog;

// Headers Codex sends on every turn.
const CODEX_HEADERS = {
  'OpenAI-Beta': 'responses=experimental',
  originator: 'codex_cli_rs',
  session_id: '0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
};

before(async () => {
  stack = await startStack();
  fetchLog = recordingFetch();
  client = new OpenAI({
    apiKey: stack.apiKey,
    baseURL: `${stack.gatewayUrl}/v1`,
    maxRetries: 0,
    timeout: 30000,
    fetch: fetchLog,
    defaultHeaders: CODEX_HEADERS,
  });
});
after(async () => {
  await stopAndCheck(stack);
});

// The scripted answer: a reasoning summary, then a shell call (Codex's typical next step).
const ANSWER_RULE = {
  times: 1,
  thinking: 'Inspecting the failing parser test.',
  tool_call: { name: 'shell', arguments: { command: ['bash', '-lc', 'sed -n 1,40p parser_test.cc'], workdir: '/repo' } },
};

// Sends the request; returns the SDK's request (parsed) and the collected answer.
async function sendCodex(model, { stream }) {
  const body = codexRequest(model, { stream });
  let response;
  const types = [];
  if (stream) {
    const s = await client.responses.create(body);
    for await (const ev of s) {
      types.push(ev.type);
      if (ev.type === 'response.completed') response = ev.response;
    }
  } else {
    response = await client.responses.create(body);
  }
  const call = fetchLog.calls.at(-1);
  return { sent: { ...call, json: JSON.parse(call.body) }, response, types };
}

function checkAnswer(response) {
  assert.ok(response, 'a completed response');
  const call = response.output.find((i) => i.type === 'function_call');
  assert.ok(call, `a function_call item: ${JSON.stringify(response.output).slice(0, 500)}`);
  assert.equal(call.name, 'shell');
  assert.deepEqual(JSON.parse(call.arguments), ANSWER_RULE.tool_call.arguments);
  assert.ok(call.call_id, 'call_id');
  const reasoning = response.output.find((i) => i.type === 'reasoning');
  assert.ok(reasoning, 'a reasoning item');
  assert.ok(JSON.stringify(reasoning.summary).includes(ANSWER_RULE.thinking), JSON.stringify(reasoning));
}

describe('Codex shape', () => {
  beforeEach(() => stack.reset());

  for (const stream of [true, false]) {
    test(`→ Responses upstream (${stream ? 'stream' : 'non-stream'}): body arrives unchanged but the model`, async () => {
      await stack.setFaults([ANSWER_RULE]);
      const { sent, response, types } = await sendCodex('resp/mock-small', { stream });
      const rec = await stack.lastRequest();
      assert.equal(rec.target, '/v1/responses');
      assert.ok(rec.json, `upstream body is JSON: ${rec.body.slice(0, 200)}`);
      assertFieldsEqual(assert, rec.json, { ...sent.json, model: 'mock-small' }, 'upstream body');
      assert.equal(rec.headers['openai-beta'], 'responses=experimental', 'OpenAI-Beta header');
      assert.equal(rec.headers.authorization, 'Bearer sk-mock-responses', 'the connection key replaces the client key');
      if (stream) {
        assert.equal(types[0], 'response.created', types.join(','));
        assert.equal(types.at(-1), 'response.completed', types.join(','));
        assert.ok(types.includes('response.function_call_arguments.delta'), types.join(','));
      }
      checkAnswer(response);
    });
  }

  test('→ OpenAI Chat upstream: instructions, tools and call history survive translation', async () => {
    await stack.setFaults([ANSWER_RULE]);
    const { response } = await sendCodex('openai/mock-small', { stream: true });
    const rec = await stack.lastRequest();
    assert.equal(rec.target, '/v1/chat/completions');
    const up = rec.json;
    assert.ok(upstreamSystemText('openai', up).includes(CODEX_INSTRUCTIONS), 'instructions → system message');
    assert.ok(
      upstreamSystemText('openai', up).includes('Filesystem sandboxing') ||
        JSON.stringify(up.messages).includes('Filesystem sandboxing'),
      'developer item kept',
    );
    assert.deepEqual(upstreamToolNames('openai', up), CODEX_TOOLS.map((t) => t.name));
    const schemas = upstreamToolSchemas('openai', up);
    for (const t of CODEX_TOOLS) assert.deepEqual(schemas[t.name], t.parameters, `${t.name} schema`);
    const calls = up.messages.flatMap((m) => m.tool_calls ?? []);
    const call = calls.find((c) => c.id === 'call_K1mN2pQ3');
    assert.ok(call, `function_call → tool_calls: ${JSON.stringify(calls)}`);
    assert.equal(call.function.name, 'shell');
    assert.deepEqual(JSON.parse(call.function.arguments), {
      command: ['bash', '-lc', 'make test'],
      workdir: '/repo',
      timeout_ms: 120000,
    });
    const result = up.messages.find((m) => m.role === 'tool' && m.tool_call_id === 'call_K1mN2pQ3');
    assert.ok(result, 'function_call_output → tool message');
    assert.ok(JSON.stringify(result.content).includes('FAIL parser_test.cc:12'), JSON.stringify(result.content));
    assert.equal(up.reasoning_effort, 'medium', 'reasoning.effort');
    assert.equal(up.parallel_tool_calls, false, 'parallel_tool_calls');
    assert.equal(up.tool_choice, 'auto', 'tool_choice');
    assert.equal(up.stream, true);
    checkAnswer(response);
  });
});
