#include "formats/reasoning_map.h"

namespace omni::formats {

int64_t EffortToBudget(std::string_view effort) {
  if (effort == "minimal") return 1024;
  if (effort == "low") return 2048;
  if (effort == "high") return 8192;
  if (effort == "xhigh") return 16384;
  return 4096;  // medium and unknown levels
}

std::string BudgetToEffort(int64_t budget) {
  if (budget < 0) return "medium";
  if (budget < 3072) return "low";
  if (budget < 6144) return "medium";
  return "high";
}

std::string EffectiveEffort(const Reasoning& r) {
  if (!r.effort.empty()) return r.effort;
  if (r.budget_tokens) return BudgetToEffort(*r.budget_tokens);
  return "medium";
}

int64_t EffectiveBudget(const Reasoning& r) {
  if (r.budget_tokens) return *r.budget_tokens;
  return EffortToBudget(r.effort);
}

bool WantsThoughts(const Request& request) {
  if (!request.reasoning || !request.reasoning->enabled) return false;
  if (request.extra_format == Format::kGemini || request.extra_format == Format::kResponses)
    return !request.reasoning->summary.empty();
  return true;
}

}  // namespace omni::formats
