#pragma once
// Realistic request/response bodies for the micro benchmarks, generated in code so the
// benchmarks need no data files.

#include <string>
#include <vector>

namespace omni::bench {

// A ~1 KB OpenAI chat request (system + a short conversation), stream:false.
std::string SmallChatBody();

// A ~26 KB Claude-Code-like request: long system prompt, many tool definitions, a long
// multi-turn conversation with tool calls and results; "stream":true near the end.
std::string LargeAgentBody();

// A realistic 10-chunk OpenAI SSE stream (role chunk, content deltas, finish, usage, [DONE]),
// split into pieces the way a socket might deliver them.
std::vector<std::string> SseStreamPieces();

}  // namespace omni::bench
