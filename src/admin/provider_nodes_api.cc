// /api/provider-nodes: custom OpenAI-compatible providers (own base URL and prefix).
#include <boost/json.hpp>

#include "admin/admin_api.h"
#include "admin/json_fields.h"
#include "providers/upstream_dialect.h"

namespace omni::admin {
namespace net = boost::asio;
namespace json = boost::json;
using http::Exchange;
using http::Router;

namespace {

json::object NodeJson(const store::ProviderNode& n) {
  return {{"id", n.id},
          {"name", n.name},
          {"prefix", n.prefix},
          {"baseUrl", n.base_url},
          {"format", n.format},
          {"createdAt", n.created_at},
          {"updatedAt", n.updated_at}};
}

bool ValidPrefix(std::string_view p) {
  if (p.empty() || p.size() > 64) return false;
  for (char c : p)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
      return false;
  return true;
}

Status ApplyNodeFields(const json::object& o, store::ProviderNode& n, bool creating,
                       const providers::Catalog& catalog) {
  auto name = OptString(o, "name");
  if (!name.ok()) return std::move(name).error();
  auto prefix = OptString(o, "prefix");
  if (!prefix.ok()) return std::move(prefix).error();
  auto base = OptString(o, "baseUrl");
  if (!base.ok()) return std::move(base).error();
  auto format = OptString(o, "format");
  if (!format.ok()) return std::move(format).error();
  if (*name) n.name = **name;
  if (creating && n.name.empty()) return FieldError("name", "is required");
  if (*prefix) {
    if (!ValidPrefix(**prefix))
      return FieldError("prefix", "must be 1-64 characters of a-z 0-9 - _ .");
    if (catalog.Find(**prefix))
      return FieldError("prefix", "is already used by a built-in provider");
    n.prefix = **prefix;
  } else if (creating) {
    return FieldError("prefix", "is required");
  }
  if (*base) {
    if (!http::ParseUpstreamUrl(**base).ok())
      return FieldError("baseUrl", "must be an http:// or https:// URL");
    n.base_url = **base;
  } else if (creating) {
    return FieldError("baseUrl", "is required");
  }
  if (*format) {
    if (!providers::WireFormat(**format))
      return FieldError("format",
                        "must be one of \"openai\", \"anthropic\", \"gemini\", \"responses\"");
    n.format = **format;
  }
  return {};
}

}  // namespace

AdminApi::Reply AdminApi::CreateNode(std::string_view body_text) {
  auto body = ParseObject(body_text);
  if (!body.ok()) return body.error();
  store::ProviderNode node;
  if (auto st = ApplyNodeFields(*body, node, true, catalog_); !st.ok()) return st.error();
  auto stored = store_.InsertNode(std::move(node));
  if (!stored.ok()) return stored.error();
  if (auto st = Publish(); !st.ok()) return st.error();
  return JsonReply{201, json::serialize(NodeJson(*stored))};
}

AdminApi::Reply AdminApi::ListNodes(std::string_view body_text) {
  auto all = store_.ListNodes();
  if (!all.ok()) return all.error();
  json::array list;
  for (const auto& n : *all) list.push_back(NodeJson(n));
  return JsonReply{200, json::serialize(json::object{{"nodes", std::move(list)}})};
}

AdminApi::Reply AdminApi::GetNode(std::string_view id, std::string_view body_text) {
  auto n = Found(store_.GetNode(std::string(id)), "provider node", id);
  if (!n.ok()) return std::move(n).error();
  return JsonReply{200, json::serialize(NodeJson(*n))};
}

AdminApi::Reply AdminApi::PatchNode(std::string_view id, std::string_view body_text) {
  auto body = ParseObject(body_text);
  if (!body.ok()) return body.error();
  auto n = Found(store_.GetNode(std::string(id)), "provider node", id);
  if (!n.ok()) return std::move(n).error();
  store::ProviderNode node = *n;
  if (body->contains("prefix") && body->at("prefix") != json::value(node.prefix))
    return FieldError("prefix", "cannot be changed: connections refer to it");
  if (auto st = ApplyNodeFields(*body, node, false, catalog_); !st.ok()) return st.error();
  auto stored = store_.UpdateNode(std::move(node));
  if (!stored.ok()) return stored.error();
  if (auto st = Publish(); !st.ok()) return st.error();
  return JsonReply{200, json::serialize(NodeJson(*stored))};
}

AdminApi::Reply AdminApi::DeleteNode(std::string_view id, std::string_view body_text) {
  auto n = Found(store_.GetNode(std::string(id)), "provider node", id);
  if (!n.ok()) return std::move(n).error();
  // Never orphan a user's accounts silently: they must be removed (or kept) explicitly.
  auto conns = store_.ListConnections();
  if (!conns.ok()) return conns.error();
  size_t using_it = 0;
  for (const auto& c : *conns) using_it += c.provider == n->prefix;
  if (using_it > 0) {
    Error e{409, "invalid_request_error", "node_in_use",
            "provider node \"" + n->prefix + "\" still has " + std::to_string(using_it) +
                " connection(s); delete them first"};
    return e;
  }
  auto deleted = store_.DeleteNode(std::string(id));
  if (!deleted.ok()) return deleted.error();
  if (auto st = Publish(); !st.ok()) return st.error();
  return JsonReply{200, "{\"deleted\":true}"};
}

}  // namespace omni::admin
