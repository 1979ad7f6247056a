#pragma once
// JSON shapes of the Responses API's output items and response object, shared by the
// non-stream encoder and the stream encoder (whose response.completed repeats the output).

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <string_view>

#include "formats/ir.h"

namespace omni::formats {

boost::json::object ResponsesOutputText(std::string_view text);
boost::json::object ResponsesMessageItem(std::string_view id, std::string_view status,
                                         boost::json::array content);
boost::json::object ResponsesReasoningItem(std::string_view id, std::string_view summary_text,
                                           std::string_view encrypted_content);
boost::json::object ResponsesFunctionCallItem(std::string_view id, std::string_view status,
                                              std::string_view call_id, std::string_view name,
                                              std::string_view arguments);

// The response object; `usage` null while in progress. `status` overrides the status that
// `finish` implies (for the in_progress snapshots).
boost::json::object ResponsesObject(std::string_view id, int64_t created_at, std::string_view model,
                                    std::string_view status, FinishReason finish,
                                    boost::json::array output, const Usage* usage);

}  // namespace omni::formats
