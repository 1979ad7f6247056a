// Request fixtures shaped like what real coding agents send: Claude Code (Anthropic Messages,
// ~26 KB: cached system blocks, many tools, thinking, beta header) and Codex CLI (Responses:
// instructions, function_call history, reasoning, store:false, include). Deterministic.

const SECTIONS = [
  'Tone and style',
  'Proactiveness',
  'Following conventions',
  'Code style',
  'Task management',
  'Doing tasks',
  'Tool usage policy',
  'Code references',
  'Security',
  'Git workflow',
  'Testing',
  'Planning',
];

// A long, structured system prompt (about `bytes` bytes) with non-ASCII, quotes and newlines.
function longPrompt(title, bytes) {
  let out = `# ${title}\n\nYou are an interactive CLI tool that helps users with software engineering tasks. Use the instructions below and the tools available to you to assist the user.\n\n`;
  let i = 0;
  while (out.length < bytes) {
    const s = SECTIONS[i % SECTIONS.length];
    out += `## ${s} (${i + 1})\n`;
    out += `- When working on "${s.toLowerCase()}", prefer the project's existing patterns; check \`package.json\`, \`Cargo.toml\` or \`CMakeLists.txt\` first.\n`;
    out += `- Never introduce code that exposes or logs secrets and keys — résumé, naïve, 日本語 and emoji ✅ must survive byte-exact.\n`;
    out += `- Keep answers short: fewer than 4 lines unless the user asks for detail. <example>user: 2 + 2\nassistant: 4</example>\n\n`;
    i++;
  }
  return out;
}

const str = (description, extra = {}) => ({ type: 'string', description, ...extra });
const num = (description) => ({ type: 'number', description });
const bool = (description) => ({ type: 'boolean', description });
const schema = (properties, required = [], extra = {}) => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
  $schema: 'http://json-schema.org/draft-07/schema#',
  ...extra,
});

// Claude Code's tool set (names keep their case), with realistic JSON schemas.
export const CLAUDE_CODE_TOOLS = [
  {
    name: 'Task',
    description: 'Launch a new agent to handle complex, multi-step tasks autonomously.',
    input_schema: schema(
      {
        description: str('A short (3-5 word) description of the task'),
        prompt: str('The task for the agent to perform'),
        subagent_type: str('The type of specialized agent to use for this task'),
      },
      ['description', 'prompt', 'subagent_type'],
    ),
  },
  {
    name: 'Bash',
    description: 'Executes a given bash command in a persistent shell session with optional timeout.',
    input_schema: schema(
      {
        command: str('The command to execute'),
        timeout: num('Optional timeout in milliseconds (max 600000)'),
        description: str('Clear, concise description of what this command does in 5-10 words'),
        run_in_background: bool('Set to true to run this command in the background'),
      },
      ['command'],
    ),
  },
  {
    name: 'Glob',
    description: 'Fast file pattern matching tool that works with any codebase size.',
    input_schema: schema(
      { pattern: str('The glob pattern to match files against'), path: str('The directory to search in') },
      ['pattern'],
    ),
  },
  {
    name: 'Grep',
    description: 'A powerful search tool built on ripgrep.',
    input_schema: schema(
      {
        pattern: str('The regular expression pattern to search for in file contents'),
        path: str('File or directory to search in'),
        glob: str('Glob pattern to filter files'),
        output_mode: str('Output mode', { enum: ['content', 'files_with_matches', 'count'] }),
        '-B': num('Number of lines to show before each match'),
        '-A': num('Number of lines to show after each match'),
        '-C': num('Number of lines to show before and after each match'),
        '-n': bool('Show line numbers in output'),
        '-i': bool('Case insensitive search'),
        type: str('File type to search'),
        head_limit: num('Limit output to first N lines/entries'),
        multiline: bool('Enable multiline mode'),
      },
      ['pattern'],
    ),
  },
  {
    name: 'ExitPlanMode',
    description: 'Use this tool when you are in plan mode and have finished presenting your plan.',
    input_schema: schema({ plan: str('The plan you came up with, that you want to run by the user for approval') }, [
      'plan',
    ]),
  },
  {
    name: 'Read',
    description: 'Reads a file from the local filesystem.',
    input_schema: schema(
      {
        file_path: str('The absolute path to the file to read'),
        offset: num('The line number to start reading from'),
        limit: num('The number of lines to read'),
      },
      ['file_path'],
    ),
  },
  {
    name: 'Edit',
    description: 'Performs exact string replacements in files.',
    input_schema: schema(
      {
        file_path: str('The absolute path to the file to modify'),
        old_string: str('The text to replace'),
        new_string: str('The text to replace it with (must be different from old_string)'),
        replace_all: { type: 'boolean', default: false, description: 'Replace all occurences of old_string' },
      },
      ['file_path', 'old_string', 'new_string'],
    ),
  },
  {
    name: 'MultiEdit',
    description: 'Makes multiple edits to a single file in one operation.',
    input_schema: schema(
      {
        file_path: str('The absolute path to the file to modify'),
        edits: {
          type: 'array',
          minItems: 1,
          description: 'Array of edit operations to perform sequentially on the file',
          items: {
            type: 'object',
            properties: {
              old_string: str('The text to replace'),
              new_string: str('The text to replace it with'),
              replace_all: { type: 'boolean', default: false, description: 'Replace all occurences' },
            },
            required: ['old_string', 'new_string'],
            additionalProperties: false,
          },
        },
      },
      ['file_path', 'edits'],
    ),
  },
  {
    name: 'Write',
    description: 'Writes a file to the local filesystem.',
    input_schema: schema(
      { file_path: str('The absolute path to the file to write'), content: str('The content to write to the file') },
      ['file_path', 'content'],
    ),
  },
  {
    name: 'NotebookEdit',
    description: 'Completely replaces the contents of a specific cell in a Jupyter notebook.',
    input_schema: schema(
      {
        notebook_path: str('The absolute path to the Jupyter notebook file to edit'),
        cell_id: str('The ID of the cell to edit'),
        new_source: str('The new source for the cell'),
        cell_type: str('The type of the cell', { enum: ['code', 'markdown'] }),
        edit_mode: str('The type of edit to make', { enum: ['replace', 'insert', 'delete'] }),
      },
      ['notebook_path', 'new_source'],
    ),
  },
  {
    name: 'WebFetch',
    description: 'Fetches content from a specified URL and processes it using an AI model.',
    input_schema: schema(
      {
        url: str('The URL to fetch content from', { format: 'uri' }),
        prompt: str('The prompt to run on the fetched content'),
      },
      ['url', 'prompt'],
    ),
  },
  {
    name: 'TodoWrite',
    description: 'Use this tool to create and manage a structured task list for your current coding session.',
    input_schema: schema(
      {
        todos: {
          type: 'array',
          description: 'The updated todo list',
          items: {
            type: 'object',
            properties: {
              content: { type: 'string', minLength: 1 },
              status: { type: 'string', enum: ['pending', 'in_progress', 'completed'] },
              activeForm: { type: 'string', minLength: 1 },
            },
            required: ['content', 'status', 'activeForm'],
            additionalProperties: false,
          },
        },
      },
      ['todos'],
    ),
  },
  {
    name: 'WebSearch',
    description: 'Allows Claude to search the web and use the results to inform responses.',
    input_schema: schema(
      {
        query: str('The search query to use', { minLength: 2 }),
        allowed_domains: { type: 'array', items: { type: 'string' }, description: 'Only include these domains' },
        blocked_domains: { type: 'array', items: { type: 'string' }, description: 'Never include these domains' },
      },
      ['query'],
    ),
  },
  {
    name: 'BashOutput',
    description: 'Retrieves output from a running or completed background bash shell.',
    input_schema: schema(
      { bash_id: str('The ID of the background shell'), filter: str('Optional regular expression to filter lines') },
      ['bash_id'],
    ),
  },
  {
    name: 'KillShell',
    description: 'Kills a running background bash shell by its ID.',
    input_schema: schema({ shell_id: str('The ID of the background shell to kill') }, ['shell_id']),
  },
  {
    name: 'SlashCommand',
    description: 'Execute a slash command within the main conversation.',
    input_schema: schema({ command: str('The slash command to execute with its arguments') }, ['command']),
  },
  {
    name: 'mcp__ide__getDiagnostics',
    description: 'Get language diagnostics from VS Code',
    input_schema: schema({ uri: str('Optional file URI to get diagnostics for.') }),
  },
  {
    name: 'mcp__ide__executeCode',
    description: 'Execute python code in the Jupyter kernel for the current notebook file.',
    input_schema: schema({ code: str('The code to be executed on the kernel.') }, ['code']),
    cache_control: { type: 'ephemeral' },
  },
];

export const CLAUDE_CODE_BETAS = [
  'claude-code-20250219',
  'interleaved-thinking-2025-05-14',
  'fine-grained-tool-streaming-2025-05-14',
];

export const CLAUDE_CODE_SYSTEM = [
  { type: 'text', text: "You are Claude Code, Anthropic's official CLI for Claude.", cache_control: { type: 'ephemeral' } },
  { type: 'text', text: longPrompt('Claude Code instructions', 14500), cache_control: { type: 'ephemeral' } },
];

// The body (without `betas`, which the SDK turns into the anthropic-beta header).
export function claudeCodeRequest(model, { stream = true } = {}) {
  return {
    model,
    max_tokens: 32000,
    temperature: 1,
    system: CLAUDE_CODE_SYSTEM,
    tools: CLAUDE_CODE_TOOLS,
    metadata: { user_id: 'user_3f2a_account_9c1e_session_5b7d-0e4a' },
    thinking: { type: 'enabled', budget_tokens: 10000 },
    stream,
    messages: [
      {
        role: 'user',
        content: [
          {
            type: 'text',
            text: '<system-reminder>\nAs you answer the user\'s questions, you can use the following context:\n# important-instruction-reminders\nDo what has been asked; nothing more, nothing less.\n</system-reminder>',
          },
          { type: 'text', text: 'The test in tests/test_parser.py fails. Fix it.' },
        ],
      },
      {
        role: 'assistant',
        content: [
          {
            type: 'thinking',
            thinking: 'I should read the failing test first.',
            signature: 'EqQBCkYIBxgCKkBmb2NrLXNpZ25hdHVyZS1mb3ItdGVzdHM=',
          },
          { type: 'text', text: "I'll read the test file." },
          { type: 'tool_use', id: 'toolu_01A', name: 'Read', input: { file_path: '/repo/tests/test_parser.py' } },
        ],
      },
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: 'toolu_01A',
            content: '     1\timport parser\n     2\t\n     3\tdef test_parse():\n     4\t    assert parser.parse("1+2") == 3\n',
          },
        ],
      },
      {
        role: 'assistant',
        content: [
          {
            type: 'tool_use',
            id: 'toolu_01B',
            name: 'Bash',
            input: { command: 'python -m pytest tests/test_parser.py -q', description: 'Run the failing test' },
          },
        ],
      },
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: 'toolu_01B',
            is_error: true,
            content: [{ type: 'text', text: 'E   AssertionError: assert 12 == 3\n1 failed in 0.03s' }],
            cache_control: { type: 'ephemeral' },
          },
        ],
      },
    ],
  };
}

// --- Codex CLI ------------------------------------------------------------------------------

export const CODEX_TOOLS = [
  {
    type: 'function',
    name: 'shell',
    description: 'Runs a shell command and returns its output.',
    strict: false,
    parameters: {
      type: 'object',
      properties: {
        command: { type: 'array', items: { type: 'string' }, description: 'The command to execute' },
        workdir: { type: 'string', description: 'The working directory to execute the command in' },
        timeout_ms: { type: 'number', description: 'The timeout for the command in milliseconds' },
        with_escalated_permissions: { type: 'boolean', description: 'Whether to request escalated permissions.' },
        justification: { type: 'string', description: 'Only set if with_escalated_permissions is true.' },
      },
      required: ['command'],
      additionalProperties: false,
    },
  },
  {
    type: 'function',
    name: 'update_plan',
    description: 'Updates the task plan.',
    strict: false,
    parameters: {
      type: 'object',
      properties: {
        explanation: { type: 'string' },
        plan: {
          type: 'array',
          description: 'The list of steps',
          items: {
            type: 'object',
            properties: { step: { type: 'string' }, status: { type: 'string', description: 'One of: pending, in_progress, completed' } },
            required: ['step', 'status'],
            additionalProperties: false,
          },
        },
      },
      required: ['plan'],
      additionalProperties: false,
    },
  },
  {
    type: 'function',
    name: 'apply_patch',
    description: 'Use the `apply_patch` tool to edit files.',
    strict: false,
    parameters: {
      type: 'object',
      properties: { input: { type: 'string', description: 'The entire contents of the apply_patch command' } },
      required: ['input'],
      additionalProperties: false,
    },
  },
  {
    type: 'function',
    name: 'view_image',
    description: 'Attach a local image (by filesystem path) to the conversation context for this turn.',
    strict: false,
    parameters: {
      type: 'object',
      properties: { path: { type: 'string', description: 'Local filesystem path to an image file' } },
      required: ['path'],
      additionalProperties: false,
    },
  },
];

export const CODEX_INSTRUCTIONS = longPrompt('Codex CLI instructions', 9000);

export function codexRequest(model, { stream = true } = {}) {
  return {
    model,
    instructions: CODEX_INSTRUCTIONS,
    input: [
      {
        type: 'message',
        role: 'developer',
        content: [{ type: 'input_text', text: '<permissions instructions>\nFilesystem sandboxing: workspace-write.\n</permissions instructions>' }],
      },
      {
        type: 'message',
        role: 'user',
        content: [{ type: 'input_text', text: '<environment_context>\n  <cwd>/repo</cwd>\n  <shell>bash</shell>\n</environment_context>' }],
      },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Run the tests and fix what fails.' }] },
      {
        type: 'reasoning',
        id: 'rs_0a1b2c',
        summary: [{ type: 'summary_text', text: '**Running the test suite**' }],
        content: null,
        encrypted_content: 'gAAAAABo-mock-encrypted-reasoning-content==',
      },
      {
        type: 'function_call',
        id: 'fc_0a1b2c',
        name: 'shell',
        arguments: '{"command":["bash","-lc","make test"],"workdir":"/repo","timeout_ms":120000}',
        call_id: 'call_K1mN2pQ3',
      },
      {
        type: 'function_call_output',
        call_id: 'call_K1mN2pQ3',
        output: '{"output":"FAIL parser_test.cc:12\\n1 failed","metadata":{"exit_code":2,"duration_seconds":1.4}}',
      },
      {
        type: 'message',
        role: 'assistant',
        content: [{ type: 'output_text', text: 'One test fails in parser_test.cc; looking at it now.' }],
      },
    ],
    tools: CODEX_TOOLS,
    tool_choice: 'auto',
    parallel_tool_calls: false,
    reasoning: { effort: 'medium', summary: 'auto' },
    store: false,
    stream,
    include: ['reasoning.encrypted_content'],
    prompt_cache_key: '0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
    text: { verbosity: 'medium' },
  };
}
