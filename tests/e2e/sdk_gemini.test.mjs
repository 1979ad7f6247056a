// The official Google Gen AI SDK (@google/genai, Gemini API mode) against every upstream wire
// format. The SDK calls {baseUrl}/v1beta/models/{model}:generateContent and
// :streamGenerateContent?alt=sse; our model names contain a slash ("anthropic/mock-small").
import { describe, test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { GoogleGenAI, ApiError, Type } from '@google/genai';
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
let ai;
let fetchLog;

before(async () => {
  stack = await startStack();
  fetchLog = recordingFetch();
  ai = new GoogleGenAI({
    apiKey: stack.apiKey,
    httpOptions: { baseUrl: stack.gatewayUrl, timeout: 20000, fetch: fetchLog },
  });
});
after(async () => {
  await stopAndCheck(stack);
});

// Gemini-style declaration (OpenAPI subset with the SDK's Type enum).
const TOOLS = [
  {
    functionDeclarations: [
      {
        name: WEATHER_TOOL.name,
        description: WEATHER_TOOL.description,
        parameters: {
          type: Type.OBJECT,
          properties: { city: { type: Type.STRING, description: 'City name' } },
          required: ['city'],
        },
      },
    ],
  },
];

describe('Gemini SDK request URL', () => {
  beforeEach(() => stack.reset());

  test('a model with a slash reaches the gateway (the SDK does not encode it)', async () => {
    const r = await ai.models.generateContent({ model: 'openai/mock-small', contents: 'url check' });
    assert.equal(r.text, 'echo: url check');
    const url = new URL(fetchLog.calls.at(-1).url);
    // Pinned SDK behaviour: "models/" + the model, slash kept verbatim, no %2F.
    assert.equal(url.pathname, '/v1beta/models/openai/mock-small:generateContent');

    const stream = await ai.models.generateContentStream({ model: 'openai/mock-small', contents: 'url check' });
    for await (const chunk of stream) void chunk;
    const streamUrl = new URL(fetchLog.calls.at(-1).url);
    assert.equal(streamUrl.pathname, '/v1beta/models/openai/mock-small:streamGenerateContent');
    assert.equal(streamUrl.searchParams.get('alt'), 'sse');
  });

  test('a model given as "models/<prefix>/<model>" works too', async () => {
    const r = await ai.models.generateContent({ model: 'models/anthropic/mock-small', contents: 'prefixed' });
    assert.equal(r.text, 'echo: prefixed');
  });

  // Known gap (todo: reported, not counted as a failure): the gateway matches the raw path, so
  // "openai%2Fmock-small" is looked up undecoded and answers 404 model_not_found.
  const encodedTodo = 'gateway does not percent-decode the Gemini model path segment (%2F → 404)';
  test('a percent-encoded slash (%2F) resolves the same model', { todo: encodedTodo }, async () => {
    // Other Gemini clients (and proxies) may encode the slash; the gateway should accept both.
    const res = await fetch(`${stack.gatewayUrl}/v1beta/models/openai%2Fmock-small:generateContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': stack.apiKey },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'encoded' }] }] }),
    });
    const body = await res.text();
    assert.equal(res.status, 200, body);
    assert.equal(JSON.parse(body).candidates[0].content.parts[0].text, 'echo: encoded');
  });
});

for (const up of UPSTREAMS) {
  describe(`Gemini SDK generateContent → ${up.format} upstream`, () => {
    const model = `${up.prefix}/mock-small`;
    beforeEach(() => stack.reset());

    test('non-stream text', async () => {
      const r = await ai.models.generateContent({ model, contents: 'hello from gemini' });
      assert.equal(r.text, 'echo: hello from gemini');
      assert.equal(r.candidates[0].finishReason, 'STOP');
      assert.equal(r.candidates[0].content.role, 'model');
      assert.ok(r.usageMetadata?.promptTokenCount > 0, JSON.stringify(r.usageMetadata));
      assert.ok(r.usageMetadata?.candidatesTokenCount > 0, JSON.stringify(r.usageMetadata));
      await checkUpstream(stack, assert, up.format);
    });

    test('stream text', async () => {
      const stream = await ai.models.generateContentStream({
        model,
        contents: [{ role: 'user', parts: [{ text: 'stream me some words' }] }],
        config: { systemInstruction: 'You are terse.' },
      });
      let text = '';
      let chunks = 0;
      let finish;
      for await (const chunk of stream) {
        chunks++;
        text += chunk.text ?? '';
        finish = chunk.candidates?.[0]?.finishReason ?? finish;
      }
      assert.equal(text, 'echo: stream me some words');
      assert.equal(finish, 'STOP');
      assert.ok(chunks >= 2, `only ${chunks} chunks`);
      await checkUpstream(stack, assert, up.format, { stream: true });
    });

    for (const streamed of [false, true]) {
      test(`tool round trip (${streamed ? 'stream' : 'non-stream'})`, async () => {
        await stack.setFaults([toolCallRule()]);
        const user = { role: 'user', parts: [{ text: 'What is the weather in Paris?' }] };
        const request = { model, contents: [user], config: { tools: TOOLS } };
        let calls;
        let modelContent;
        if (!streamed) {
          const first = await ai.models.generateContent(request);
          calls = first.functionCalls;
          modelContent = first.candidates[0].content;
        } else {
          const stream = await ai.models.generateContentStream(request);
          calls = [];
          const parts = [];
          for await (const chunk of stream) {
            calls.push(...(chunk.functionCalls ?? []));
            parts.push(...(chunk.candidates?.[0]?.content?.parts ?? []));
          }
          modelContent = { role: 'model', parts };
        }
        assert.equal(calls?.length, 1, JSON.stringify(modelContent));
        assert.equal(calls[0].name, WEATHER_TOOL.name);
        assert.deepEqual(calls[0].args, WEATHER_ARGS);
        const firstUp = await checkUpstream(stack, assert, up.format, { stream: streamed });
        assert.deepEqual(upstreamToolNames(up.format, firstUp.json), [WEATHER_TOOL.name]);

        const second = await ai.models.generateContent({
          ...request,
          contents: [
            user,
            modelContent,
            {
              role: 'user',
              parts: [
                {
                  functionResponse: {
                    ...(calls[0].id ? { id: calls[0].id } : {}),
                    name: calls[0].name,
                    response: { result: WEATHER_RESULT },
                  },
                },
              ],
            },
          ],
        });
        assert.match(second.text, /^echo: tool result /);
        assert.ok(second.text.includes(WEATHER_RESULT), second.text);
      });
    }

    test('upstream 429 on a stream request → ApiError 429', async () => {
      await stack.setFaults([{ times: 1, status: 429 }]);
      await assert.rejects(
        (async () => {
          const s = await ai.models.generateContentStream({ model, contents: 'hi' });
          for await (const chunk of s) void chunk;
        })(),
        (e) => e instanceof ApiError && e.status === 429,
      );
    });

    test('upstream drops mid-stream → the SDK raises an error', async () => {
      await stack.setFaults([{ times: 1, drop_after_chunks: 3 }]);
      let text = '';
      await assert.rejects(
        (async () => {
          const s = await ai.models.generateContentStream({ model, contents: 'one two three four five six seven eight' });
          for await (const chunk of s) text += chunk.text ?? '';
        })(),
        (e) => e instanceof Error,
      );
      assert.ok(!text.includes('eight'), `got the whole answer: ${text}`);
    });

    test('upstream 429 → ApiError 429', async () => {
      await stack.setFaults([{ times: 1, status: 429 }]);
      await assert.rejects(ai.models.generateContent({ model, contents: 'hi' }), (e) => {
        assert.ok(e instanceof ApiError, `${e?.constructor?.name}: ${e?.message}`);
        assert.equal(e.status, 429);
        assert.match(e.message, /RESOURCE_EXHAUSTED|429/);
        return true;
      });
    });
  });
}
