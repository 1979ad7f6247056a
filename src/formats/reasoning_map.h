#pragma once
// Maps reasoning effort levels to token budgets and back. No vendor documents a mapping, so
// this is a gateway heuristic, chosen so effort → budget → effort is stable:
//   minimal 1024, low 2048, medium 4096, high 8192 tokens;
//   budget < 3072 → low, < 6144 → medium, otherwise high; -1 (Gemini dynamic) → medium.

#include <cstdint>
#include <string>
#include <string_view>

#include "formats/ir.h"

namespace omni::formats {

int64_t EffortToBudget(std::string_view effort);
std::string BudgetToEffort(int64_t budget);

// The effort to send to an effort-only format (OpenAI, Responses).
std::string EffectiveEffort(const Reasoning& r);
// The budget to send to a budget-only format (Anthropic, Gemini); -1 = dynamic.
int64_t EffectiveBudget(const Reasoning& r);

// Whether the client wants reasoning text back (Gemini includeThoughts, Responses
// reasoning.summary). Anthropic and OpenAI-compatible clients always get it when reasoning is
// on; Gemini and Responses clients say so explicitly (carried in Reasoning::summary).
bool WantsThoughts(const Request& request);

}  // namespace omni::formats
