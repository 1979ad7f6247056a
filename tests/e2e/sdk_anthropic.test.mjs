// The official Anthropic SDK against every upstream wire format, with the base URL both as the
// SDK documents it (host only → /v1/messages) and as Claude Code users set it (ending in /v1 →
// /v1/v1/messages).
import { describe, test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import {
  startStack,
  stopAndCheck,
  UPSTREAMS,
  WEATHER_TOOL,
  WEATHER_ARGS,
  WEATHER_RESULT,
  toolCallRule,
  checkUpstream,
  upstreamToolNames,
  recordingFetch,
} from './harness.mjs';

let stack;
let client;
let clientV1;
let fetchLog;
let fetchLogV1;

before(async () => {
  stack = await startStack();
  fetchLog = recordingFetch();
  fetchLogV1 = recordingFetch();
  const common = { apiKey: stack.apiKey, maxRetries: 0, timeout: 20000 };
  client = new Anthropic({ ...common, baseURL: stack.gatewayUrl, fetch: fetchLog });
  clientV1 = new Anthropic({ ...common, baseURL: `${stack.gatewayUrl}/v1`, fetch: fetchLogV1 });
});
after(async () => {
  await stopAndCheck(stack);
});

const TOOLS = [{ name: WEATHER_TOOL.name, description: WEATHER_TOOL.description, input_schema: WEATHER_TOOL.parameters }];

function textOf(message) {
  return message.content
    .filter((b) => b.type === 'text')
    .map((b) => b.text)
    .join('');
}

for (const up of UPSTREAMS) {
  describe(`Anthropic SDK messages → ${up.format} upstream`, () => {
    const model = `${up.prefix}/mock-small`;
    beforeEach(() => stack.reset());

    test('non-stream text', async () => {
      const m = await client.messages.create({
        model,
        max_tokens: 256,
        messages: [{ role: 'user', content: 'hello from anthropic' }],
      });
      assert.equal(m.type, 'message');
      assert.equal(m.role, 'assistant');
      assert.equal(textOf(m), 'echo: hello from anthropic');
      assert.equal(m.stop_reason, 'end_turn');
      assert.ok(m.usage.input_tokens > 0 && m.usage.output_tokens > 0, JSON.stringify(m.usage));
      assert.ok(fetchLog.calls.at(-1).url.endsWith('/v1/messages'), fetchLog.calls.at(-1).url);
      await checkUpstream(stack, assert, up.format);
    });

    test('stream text', async () => {
      const stream = client.messages.stream({
        model,
        max_tokens: 256,
        system: 'You are terse.',
        messages: [{ role: 'user', content: 'stream me some words' }],
      });
      let text = '';
      const types = [];
      for await (const ev of stream) {
        types.push(ev.type);
        if (ev.type === 'content_block_delta' && ev.delta.type === 'text_delta') text += ev.delta.text;
      }
      const final = await stream.finalMessage();
      assert.equal(text, 'echo: stream me some words');
      assert.equal(textOf(final), text);
      assert.equal(final.stop_reason, 'end_turn');
      assert.equal(types[0], 'message_start', types.join(','));
      assert.equal(types.at(-1), 'message_stop', types.join(','));
      assert.ok(final.usage.output_tokens > 0, JSON.stringify(final.usage));
      await checkUpstream(stack, assert, up.format, { stream: true });
    });

    test('stream text with base URL ending in /v1 (Claude Code style → /v1/v1/messages)', async () => {
      const stream = clientV1.messages.stream({
        model,
        max_tokens: 256,
        messages: [{ role: 'user', content: 'claude code says hi' }],
      });
      const final = await stream.finalMessage();
      assert.equal(textOf(final), 'echo: claude code says hi');
      assert.ok(fetchLogV1.calls.at(-1).url.includes('/v1/v1/messages'), fetchLogV1.calls.at(-1).url);
      await checkUpstream(stack, assert, up.format, { stream: true });
    });

    for (const streamed of [false, true]) {
      test(`tool round trip (${streamed ? 'stream' : 'non-stream'})`, async () => {
        await stack.setFaults([toolCallRule()]);
        const messages = [{ role: 'user', content: 'What is the weather in Paris?' }];
        const request = { model, max_tokens: 256, tools: TOOLS, messages };
        let first;
        if (!streamed) {
          first = await client.messages.create(request);
        } else {
          const stream = client.messages.stream(request);
          const starts = [];
          stream.on('streamEvent', (ev) => {
            if (ev.type === 'content_block_start') starts.push(ev.content_block.type);
          });
          first = await stream.finalMessage();
          // Exactly one tool_use block start for one call (no duplicated/empty-name blocks).
          assert.deepEqual(starts.filter((t) => t === 'tool_use'), ['tool_use'], starts.join(','));
        }
        assert.equal(first.stop_reason, 'tool_use');
        const uses = first.content.filter((b) => b.type === 'tool_use');
        assert.equal(uses.length, 1, JSON.stringify(first.content));
        assert.equal(uses[0].name, WEATHER_TOOL.name);
        assert.deepEqual(uses[0].input, WEATHER_ARGS);
        assert.ok(uses[0].id, 'tool_use id');
        const firstUp = await checkUpstream(stack, assert, up.format, { stream: streamed });
        assert.deepEqual(upstreamToolNames(up.format, firstUp.json), [WEATHER_TOOL.name]);

        const second = await client.messages.create({
          ...request,
          messages: [
            ...messages,
            { role: 'assistant', content: first.content },
            { role: 'user', content: [{ type: 'tool_result', tool_use_id: uses[0].id, content: WEATHER_RESULT }] },
          ],
        });
        const answer = textOf(second);
        assert.match(answer, /^echo: tool result /);
        assert.ok(answer.includes(WEATHER_RESULT), answer);
        assert.equal(second.stop_reason, 'end_turn');
      });
    }

    test('upstream 429 on a stream request → RateLimitError', async () => {
      await stack.setFaults([{ times: 1, status: 429 }]);
      await assert.rejects(
        client.messages.stream({ model, max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] }).finalMessage(),
        (e) => e instanceof Anthropic.RateLimitError && e.status === 429,
      );
    });

    test('upstream drops mid-stream → the SDK raises the gateway\'s api_error', async () => {
      await stack.setFaults([{ times: 1, drop_after_chunks: 3 }]);
      await assert.rejects(
        client.messages
          .stream({ model, max_tokens: 64, messages: [{ role: 'user', content: 'one two three four five six seven eight' }] })
          .finalMessage(),
        (e) => {
          // The stream must end with one `event: error` (api_error), not with a second
          // message_start, which the SDK rejects as "Unexpected event order".
          assert.ok(e instanceof Anthropic.APIError, `${e?.constructor?.name}: ${e?.message}`);
          assert.match(e.message, /lost mid-response|upstream/);
          return true;
        },
      );
    });

    test('upstream 429 → RateLimitError', async () => {
      await stack.setFaults([{ times: 1, status: 429, retry_after: '5' }]);
      await assert.rejects(
        client.messages.create({ model, max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] }),
        (e) => {
          assert.ok(e instanceof Anthropic.RateLimitError, `${e?.constructor?.name}: ${e?.message}`);
          assert.equal(e.status, 429);
          assert.equal(e.error?.type, 'error', JSON.stringify(e.error));
          assert.equal(e.error?.error?.type, 'rate_limit_error', JSON.stringify(e.error));
          assert.equal(e.headers?.get?.('retry-after'), '5');
          return true;
        },
      );
    });
  });
}
