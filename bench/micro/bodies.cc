#include "bodies.h"

#include <string>

namespace omni::bench {
namespace {

std::string Escape(const std::string& s) {
  std::string out;
  out.reserve(s.size() + 16);
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string Message(const char* role, const std::string& content) {
  return std::string("{\"role\":\"") + role + "\",\"content\":\"" + Escape(content) + "\"}";
}

}  // namespace

std::string SmallChatBody() {
  std::string body = "{\"model\":\"openai/gpt-4o-mini\",\"messages\":[";
  body += Message("system",
                  "You are a helpful assistant. Answer concisely and cite the relevant "
                  "documentation section when you can.");
  body += ",";
  body += Message("user",
                  "I have a C++ service that proxies HTTP requests. Under load, the p99 latency "
                  "grows a lot while p50 stays flat. What are the usual causes?");
  body += ",";
  body += Message("assistant",
                  "Common causes are head-of-line blocking on shared connections, lock "
                  "contention, allocator pressure, and work that runs on the I/O thread "
                  "(logging, JSON DOM building). Do you pool upstream connections?");
  body += ",";
  body += Message("user",
                  "Yes, one keep-alive pool per worker. Logging is async. The JSON is parsed "
                  "with a DOM to read the \"model\" field. Could that matter for 1 KB bodies "
                  "at 5k req/s on two cores? Please give numbers if you have them.");
  body +=
      "],\"temperature\":0.2,\"max_tokens\":512,\"top_p\":1,\"stream\":false,"
      "\"user\":\"bench-user-0001\",\"metadata\":{\"session\":\"bench-session-0001\"}}";
  return body;
}

std::string LargeAgentBody() {
  std::string system =
      "You are an interactive CLI agent that helps users with software engineering tasks. Use the "
      "instructions below and the tools available to you to assist the user.\n"
      "IMPORTANT: Refuse to write code or explain code that may be used maliciously.\n";
  for (int i = 0; i < 12; ++i) {
    system +=
        "# Guideline " + std::to_string(i) +
        "\nWhen working on a task, first read the relevant files, keep changes minimal, follow "
        "the existing style of the codebase, and verify your work with the project's tests. "
        "Never commit unless asked.\n";
  }
  std::string body = "{\"model\":\"openai/gpt-4o\",\"max_tokens\":32000,\"temperature\":1,";
  body += "\"messages\":[" + Message("system", system);
  const char* files[] = {
      "src/http/server.cc",        "src/gateway/gateway.cc", "src/routing/routing_snapshot.cc",
      "src/store/sqlite_store.cc", "CMakeLists.txt",         "tests/unit/gateway/sniffer_test.cc"};
  for (int turn = 0; turn < 15; ++turn) {
    const std::string file = files[turn % 6];
    std::string call_id = "call_" + std::to_string(100000 + turn * 7919);
    body += ',';
    body += Message("user", "Please look at " + file +
                                " and tell me whether the error path at "
                                "line " +
                                std::to_string(40 + turn * 13) + " handles a closed socket.");
    body += ",{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"" + call_id +
            "\",\"type\":\"function\",\"function\":{\"name\":\"Read\",\"arguments\":\"" +
            Escape("{\"file_path\":\"/work/main/" + file + "\",\"offset\":1,\"limit\":200}") +
            "\"}}]}";
    std::string result;
    for (int l = 0; l < 8; ++l) {
      result += std::to_string(40 + turn * 13 + l) +
                "\t  if (ec == net::error::eof) { co_return Status(\"closed\"); }\n";
    }
    body += ",{\"role\":\"tool\",\"tool_call_id\":\"" + call_id + "\",\"content\":\"" +
            Escape(result) + "\"}";
    body += ',';
    body += Message("assistant",
                    "The error path returns early on EOF and the caller closes the "
                    "socket, so a closed peer is handled. The other errors are logged.");
  }
  body += "],\"tools\":[";
  const char* tools[] = {"Read", "Write", "Edit",      "Bash",     "Glob",
                         "Grep", "LS",    "TodoWrite", "WebFetch", "Task"};
  for (int t = 0; t < 10; ++t) {
    if (t) body += ",";
    body += std::string("{\"type\":\"function\",\"function\":{\"name\":\"") + tools[t] +
            "\",\"description\":\"" +
            Escape(std::string(tools[t]) +
                   " tool. Usage notes: the path must be absolute; prefer this tool over shell "
                   "commands; results longer than 30000 characters are truncated; run several "
                   "independent calls in parallel when possible.") +
            "\",\"parameters\":{\"type\":\"object\",\"properties\":{"
            "\"file_path\":{\"type\":\"string\",\"description\":\"The absolute path to the file\"},"
            "\"offset\":{\"type\":\"number\",\"description\":\"Line to start at\"},"
            "\"limit\":{\"type\":\"number\",\"description\":\"Number of lines\"},"
            "\"pattern\":{\"type\":\"string\",\"description\":\"A regular expression or glob\"}},"
            "\"required\":[\"file_path\"],\"additionalProperties\":false}}}";
  }
  body += "],\"tool_choice\":\"auto\",\"stream\":true,\"stream_options\":{\"include_usage\":true}}";
  return body;
}

std::vector<std::string> SseStreamPieces() {
  const std::string head =
      "data: "
      "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
      "\"model\":\"gpt-4o-mini\",\"system_fingerprint\":\"fp_0000\",\"choices\":[{\"index\":0,"
      "\"delta\":";
  const char* words[] = {"Head-of-line", " blocking", " on",  " shared",
                         " connections", " is",       " the", " usual"};
  std::string stream;
  stream += head + "{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n";
  for (const char* w : words)
    stream += head + "{\"content\":\"" + w + "\"},\"finish_reason\":null}]}\n\n";
  stream +=
      head +
      "{},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":231,\"completion_tokens\":8,"
      "\"total_tokens\":239,\"prompt_tokens_details\":{\"cached_tokens\":128},"
      "\"completion_tokens_details\":{\"reasoning_tokens\":0}}}\n\n";
  stream += "data: [DONE]\n\n";
  // Pieces of uneven size that cut through lines, as TCP reads would.
  std::vector<std::string> pieces;
  const size_t sizes[] = {97, 310, 64, 512, 181, 733};
  size_t pos = 0;
  for (size_t i = 0; pos < stream.size(); ++i) {
    size_t n = sizes[i % 6];
    pieces.push_back(stream.substr(pos, n));
    pos += n;
  }
  return pieces;
}

}  // namespace omni::bench
