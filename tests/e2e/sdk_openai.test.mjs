// The official OpenAI SDK (Chat Completions and Responses) against every upstream wire format.
import { describe, test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
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
let fetchLog;

before(async () => {
  stack = await startStack();
  fetchLog = recordingFetch();
  client = new OpenAI({
    baseURL: `${stack.gatewayUrl}/v1`,
    apiKey: stack.apiKey,
    maxRetries: 0,
    timeout: 20000,
    fetch: fetchLog,
  });
});
after(async () => {
  await stopAndCheck(stack);
});

const CHAT_TOOLS = [{ type: 'function', function: WEATHER_TOOL }];
const RESPONSES_TOOLS = [{ type: 'function', ...WEATHER_TOOL, strict: false }];

for (const up of UPSTREAMS) {
  describe(`OpenAI SDK chat.completions → ${up.format} upstream`, () => {
    const model = `${up.prefix}/mock-small`;
    beforeEach(() => stack.reset());

    test('non-stream text', async () => {
      const r = await client.chat.completions.create({
        model,
        messages: [{ role: 'user', content: 'hello from openai chat' }],
      });
      assert.equal(r.object, 'chat.completion');
      assert.equal(r.choices[0].message.role, 'assistant');
      assert.equal(r.choices[0].message.content, 'echo: hello from openai chat');
      assert.equal(r.choices[0].finish_reason, 'stop');
      assert.ok(r.usage.prompt_tokens > 0 && r.usage.completion_tokens > 0, JSON.stringify(r.usage));
      await checkUpstream(stack, assert, up.format);
    });

    test('stream text', async () => {
      const stream = await client.chat.completions.create({
        model,
        messages: [{ role: 'user', content: 'stream me some words' }],
        stream: true,
        stream_options: { include_usage: true },
      });
      let text = '';
      let finish;
      let usage;
      let chunks = 0;
      for await (const chunk of stream) {
        chunks++;
        assert.equal(chunk.object, 'chat.completion.chunk');
        const choice = chunk.choices[0];
        if (choice?.delta?.content) text += choice.delta.content;
        if (choice?.finish_reason) finish = choice.finish_reason;
        if (chunk.usage) usage = chunk.usage;
      }
      assert.equal(text, 'echo: stream me some words');
      assert.equal(finish, 'stop');
      assert.ok(chunks >= 3, `only ${chunks} chunks`);
      assert.ok(usage && usage.completion_tokens > 0, `usage: ${JSON.stringify(usage)}`);
      await checkUpstream(stack, assert, up.format, { stream: true });
    });

    for (const streamed of [false, true]) {
      test(`tool round trip (${streamed ? 'stream' : 'non-stream'})`, async () => {
        await stack.setFaults([toolCallRule()]);
        const messages = [{ role: 'user', content: 'What is the weather in Paris?' }];
        let assistant;
        if (!streamed) {
          const first = await client.chat.completions.create({ model, messages, tools: CHAT_TOOLS });
          assert.equal(first.choices[0].finish_reason, 'tool_calls');
          assistant = first.choices[0].message;
        } else {
          const runner = client.chat.completions.stream({ model, messages, tools: CHAT_TOOLS });
          const final = await runner.finalChatCompletion();
          assert.equal(final.choices[0].finish_reason, 'tool_calls');
          assistant = final.choices[0].message;
        }
        const calls = assistant.tool_calls;
        assert.equal(calls?.length, 1, JSON.stringify(assistant));
        assert.equal(calls[0].type, 'function');
        assert.equal(calls[0].function.name, WEATHER_TOOL.name);
        assert.deepEqual(JSON.parse(calls[0].function.arguments), WEATHER_ARGS);
        assert.ok(calls[0].id, 'tool call id');
        const firstUp = await checkUpstream(stack, assert, up.format, { stream: streamed });
        assert.deepEqual(upstreamToolNames(up.format, firstUp.json), [WEATHER_TOOL.name]);

        const second = await client.chat.completions.create({
          model,
          tools: CHAT_TOOLS,
          messages: [
            ...messages,
            { role: 'assistant', content: assistant.content ?? null, tool_calls: calls },
            { role: 'tool', tool_call_id: calls[0].id, content: WEATHER_RESULT },
          ],
        });
        const answer = second.choices[0].message.content;
        assert.match(answer, /^echo: tool result /);
        assert.ok(answer.includes(WEATHER_RESULT), answer);
        assert.equal(second.choices[0].finish_reason, 'stop');
      });
    }

    test('upstream 429 on a stream request → RateLimitError', async () => {
      await stack.setFaults([{ times: 1, status: 429 }]);
      await assert.rejects(
        (async () => {
          const s = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }], stream: true });
          for await (const chunk of s) void chunk;
        })(),
        (e) => e instanceof OpenAI.RateLimitError && e.status === 429,
      );
    });

    test('upstream drops mid-stream → the SDK raises an error', async () => {
      await stack.setFaults([{ times: 1, drop_after_chunks: 3 }]);
      let text = '';
      await assert.rejects(
        (async () => {
          const s = await client.chat.completions.create({
            model,
            messages: [{ role: 'user', content: 'one two three four five six seven eight' }],
            stream: true,
          });
          for await (const chunk of s) text += chunk.choices[0]?.delta?.content ?? '';
        })(),
        (e) => e instanceof OpenAI.APIError || e instanceof OpenAI.OpenAIError,
      );
      assert.ok(!text.includes('eight'), `got the whole answer: ${text}`);
    });

    test('upstream 429 → RateLimitError', async () => {
      await stack.setFaults([{ times: 1, status: 429, retry_after: '7' }]);
      await assert.rejects(
        client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] }),
        (e) => {
          assert.ok(e instanceof OpenAI.RateLimitError, `${e?.constructor?.name}: ${e?.message}`);
          assert.equal(e.status, 429);
          assert.equal(e.headers?.get?.('retry-after'), '7');
          return true;
        },
      );
    });
  });

  describe(`OpenAI SDK responses → ${up.format} upstream`, () => {
    const model = `${up.prefix}/mock-small`;
    beforeEach(() => stack.reset());

    test('non-stream text', async () => {
      const r = await client.responses.create({ model, input: 'hello from responses' });
      assert.equal(r.object, 'response');
      assert.equal(r.status, 'completed');
      assert.equal(r.output_text, 'echo: hello from responses');
      assert.ok(r.usage.input_tokens > 0 && r.usage.output_tokens > 0, JSON.stringify(r.usage));
      await checkUpstream(stack, assert, up.format);
    });

    test('stream text', async () => {
      const stream = await client.responses.create({
        model,
        input: [{ role: 'user', content: 'stream these words please' }],
        stream: true,
      });
      let text = '';
      const types = [];
      let completed;
      for await (const ev of stream) {
        types.push(ev.type);
        if (ev.type === 'response.output_text.delta') text += ev.delta;
        if (ev.type === 'response.completed') completed = ev.response;
      }
      assert.equal(text, 'echo: stream these words please');
      assert.equal(types[0], 'response.created', types.join(','));
      assert.equal(types.at(-1), 'response.completed', types.join(','));
      assert.equal(completed?.status, 'completed');
      assert.equal(completed?.output_text ?? outputText(completed), 'echo: stream these words please');
      await checkUpstream(stack, assert, up.format, { stream: true });
    });

    for (const streamed of [false, true]) {
      test(`tool round trip (${streamed ? 'stream' : 'non-stream'})`, async () => {
        await stack.setFaults([toolCallRule()]);
        const input = [{ role: 'user', content: 'What is the weather in Paris?' }];
        let output;
        if (!streamed) {
          output = (await client.responses.create({ model, input, tools: RESPONSES_TOOLS })).output;
        } else {
          const stream = client.responses.stream({ model, input, tools: RESPONSES_TOOLS });
          const argDeltas = [];
          stream.on('response.function_call_arguments.delta', (ev) => argDeltas.push(ev.delta));
          output = (await stream.finalResponse()).output;
          assert.deepEqual(JSON.parse(argDeltas.join('')), WEATHER_ARGS);
        }
        const calls = output.filter((item) => item.type === 'function_call');
        assert.equal(calls.length, 1, JSON.stringify(output));
        assert.equal(calls[0].name, WEATHER_TOOL.name);
        assert.deepEqual(JSON.parse(calls[0].arguments), WEATHER_ARGS);
        assert.ok(calls[0].call_id, 'call_id');
        const firstUp = await checkUpstream(stack, assert, up.format, { stream: streamed });
        assert.deepEqual(upstreamToolNames(up.format, firstUp.json), [WEATHER_TOOL.name]);

        const second = await client.responses.create({
          model,
          tools: RESPONSES_TOOLS,
          input: [
            ...input,
            { type: 'function_call', call_id: calls[0].call_id, name: calls[0].name, arguments: calls[0].arguments },
            { type: 'function_call_output', call_id: calls[0].call_id, output: WEATHER_RESULT },
          ],
        });
        assert.match(second.output_text, /^echo: tool result /);
        assert.ok(second.output_text.includes(WEATHER_RESULT), second.output_text);
      });
    }

    test('upstream 429 on a stream request → RateLimitError', async () => {
      await stack.setFaults([{ times: 1, status: 429 }]);
      await assert.rejects(
        (async () => {
          const s = await client.responses.create({ model, input: 'hi', stream: true });
          for await (const ev of s) void ev;
        })(),
        (e) => e instanceof OpenAI.RateLimitError && e.status === 429,
      );
    });

    test('upstream drops mid-stream → the stream reports the failure', async () => {
      await stack.setFaults([{ times: 1, drop_after_chunks: 3 }]);
      const types = [];
      let completed = false;
      let failure;
      try {
        const s = await client.responses.create({ model, input: 'one two three four five six seven eight', stream: true });
        for await (const ev of s) {
          types.push(ev.type);
          if (ev.type === 'response.completed') completed = true;
        }
      } catch (e) {
        failure = e;
      }
      // Either the SDK throws, or the stream ends with an error/response.failed event.
      const reported = failure || types.includes('error') || types.includes('response.failed');
      assert.ok(reported, `no failure reported: ${types.join(',')}`);
      assert.ok(!completed, `a truncated stream must not complete: ${types.join(',')}`);
      // One response per stream: the failure must not restart it with a second response.created.
      assert.equal(types.filter((t) => t === 'response.created').length, 1, types.join(','));
      assert.equal(types.at(-1), 'response.failed', types.join(','));
    });

    test('upstream 429 → RateLimitError', async () => {
      await stack.setFaults([{ times: 1, status: 429, retry_after: '3' }]);
      await assert.rejects(client.responses.create({ model, input: 'hi' }), (e) => {
        assert.ok(e instanceof OpenAI.RateLimitError, `${e?.constructor?.name}: ${e?.message}`);
        assert.equal(e.status, 429);
        assert.equal(e.headers?.get?.('retry-after'), '3');
        return true;
      });
    });
  });
}

function outputText(response) {
  return (response?.output ?? [])
    .filter((i) => i.type === 'message')
    .flatMap((i) => i.content)
    .filter((c) => c.type === 'output_text')
    .map((c) => c.text)
    .join('');
}
