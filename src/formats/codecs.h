#pragma once
// The per-format codecs behind translate.h: one decoder and one encoder per format for
// requests and responses. Decoders take the parsed body and append to `warnings` what they
// could not represent; encoders build the target body. Internal to formats/ (the gateway
// uses translate.h and stream_translator.h).

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>

#include "core/result.h"
#include "formats/codec_options.h"
#include "formats/ir.h"

namespace omni::formats {

Result<Request> DecodeOpenAIChatRequest(const boost::json::object& body, Warnings& warnings);
Result<Request> DecodeAnthropicRequest(const boost::json::object& body, Warnings& warnings);
Result<Request> DecodeGeminiRequest(const boost::json::object& body, Warnings& warnings);
Result<Request> DecodeResponsesRequest(const boost::json::object& body, Warnings& warnings);

Result<boost::json::object> EncodeOpenAIChatRequest(const Request& request, Warnings& warnings,
                                                    const CodecOptions& options);
Result<boost::json::object> EncodeAnthropicRequest(const Request& request, Warnings& warnings,
                                                   const CodecOptions& options);
Result<boost::json::object> EncodeGeminiRequest(const Request& request, Warnings& warnings,
                                                const CodecOptions& options);
Result<boost::json::object> EncodeResponsesRequest(const Request& request, Warnings& warnings,
                                                   const CodecOptions& options);

Result<Response> DecodeOpenAIChatResponse(const boost::json::object& body, Warnings& warnings);
Result<Response> DecodeAnthropicResponse(const boost::json::object& body, Warnings& warnings);
Result<Response> DecodeGeminiResponse(const boost::json::object& body, Warnings& warnings,
                                      IdGenerator& ids);
Result<Response> DecodeResponsesResponse(const boost::json::object& body, Warnings& warnings);

boost::json::object EncodeOpenAIChatResponse(const Response& response, Warnings& warnings,
                                             const CodecOptions& options);
boost::json::object EncodeAnthropicResponse(const Response& response, Warnings& warnings,
                                            const CodecOptions& options);
boost::json::object EncodeGeminiResponse(const Response& response, Warnings& warnings,
                                         const CodecOptions& options);
boost::json::object EncodeResponsesResponse(const Response& response, Warnings& warnings,
                                            const CodecOptions& options);

// Shared between the non-stream and stream codecs of one format.
// The reasoning text of an OpenAI-compatible message or delta (reasoning_details,
// reasoning_content or reasoning: DeepSeek, Qwen, GLM, Kimi, OpenRouter, vLLM).
std::string OpenAIReasoningText(const boost::json::object& message);
// One IR part as a Gemini response part; null when Gemini cannot carry it.
boost::json::value GeminiResponsePart(const Part& part, Warnings& warnings);

}  // namespace omni::formats
