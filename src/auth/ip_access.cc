#include "auth/ip_access.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

namespace omni::auth {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Parses without mapping ::ffff:a.b.c.d to IPv4, so ParseCidr can interpret a prefix length
// written against the 128-bit form. `was_v6_text` tells which notation was used.
std::optional<IpAddress> ParseIpRaw(std::string_view text, bool* was_v6_text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  bool v6 = text.find(':') != std::string_view::npos;
  if (v6) {
    // Zones only name the local interface for link-local addresses; they are not part of
    // the address for matching purposes.
    size_t zone = text.find('%');
    if (zone != std::string_view::npos) {
      if (zone + 1 == text.size()) return std::nullopt;
      text = text.substr(0, zone);
    }
  }
  char buf[INET6_ADDRSTRLEN + 1];
  if (text.empty() || text.size() >= sizeof(buf)) return std::nullopt;
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  IpAddress ip;
  ip.v4 = !v6;
  // inet_pton is strict: IPv4 needs four decimal octets (no "010", no "1.2.3"), which keeps
  // list matching from disagreeing with how other tools read the same text.
  if (inet_pton(v6 ? AF_INET6 : AF_INET, buf, ip.bytes.data()) != 1) return std::nullopt;
  if (was_v6_text != nullptr) *was_v6_text = v6;
  return ip;
}

bool IsV4Mapped(const IpAddress& ip) {
  static constexpr uint8_t kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  return !ip.v4 && std::memcmp(ip.bytes.data(), kMappedPrefix, sizeof(kMappedPrefix)) == 0;
}

IpAddress MappedToV4(const IpAddress& ip) {
  IpAddress v4;
  v4.v4 = true;
  std::copy(ip.bytes.begin() + 12, ip.bytes.end(), v4.bytes.begin());
  return v4;
}

void ClearHostBits(IpAddress& ip, int prefix_len) {
  int width = ip.v4 ? 4 : 16;
  for (int i = 0; i < width; ++i) {
    int keep = std::clamp(prefix_len - i * 8, 0, 8);
    ip.bytes[i] &= static_cast<uint8_t>(keep == 0 ? 0 : 0xff << (8 - keep));
  }
}

// One X-Forwarded-For hop: an address, optionally with a port ("1.2.3.4:80", "[::1]:443").
std::optional<IpAddress> ParseForwardedHop(std::string_view hop) {
  hop = Trim(hop);
  if (!hop.empty() && hop.front() == '[') {
    size_t close = hop.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    std::string_view rest = hop.substr(close + 1);
    if (!rest.empty() && (rest.front() != ':' || !AllDigits(rest.substr(1)))) return std::nullopt;
    return ParseIp(hop.substr(1, close - 1));
  }
  size_t colon = hop.find(':');
  if (colon != std::string_view::npos && hop.find(':', colon + 1) == std::string_view::npos) {
    if (!AllDigits(hop.substr(colon + 1))) return std::nullopt;
    hop = hop.substr(0, colon);  // a single ':' can only be IPv4 with a port
  }
  return ParseIp(hop);
}

}  // namespace

std::optional<IpAddress> ParseIp(std::string_view text) {
  auto ip = ParseIpRaw(text, nullptr);
  if (ip && IsV4Mapped(*ip)) return MappedToV4(*ip);
  return ip;
}

std::string FormatIp(const IpAddress& ip) {
  char buf[INET6_ADDRSTRLEN];
  if (inet_ntop(ip.v4 ? AF_INET : AF_INET6, ip.bytes.data(), buf, sizeof(buf)) == nullptr) {
    return {};  // cannot happen: the buffer is large enough for either family
  }
  return buf;
}

bool Cidr::Contains(const IpAddress& ip) const {
  if (ip.v4 != base.v4) return false;
  int full = prefix_len / 8;
  if (std::memcmp(ip.bytes.data(), base.bytes.data(), full) != 0) return false;
  int rest = prefix_len % 8;
  if (rest == 0) return true;
  auto mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (ip.bytes[full] & mask) == base.bytes[full];
}

std::optional<Cidr> ParseCidr(std::string_view text) {
  size_t slash = text.find('/');
  std::string_view addr_text = text.substr(0, slash);
  bool v6_text = false;
  auto addr = ParseIpRaw(addr_text, &v6_text);
  // Brackets and zones belong to addresses in URLs and sockets, not to network notation.
  if (!addr || addr_text.front() == '[' || addr_text.find('%') != std::string_view::npos) {
    return std::nullopt;
  }
  int max_len = v6_text ? 128 : 32;
  int prefix_len = max_len;
  if (slash != std::string_view::npos) {
    std::string_view len_text = text.substr(slash + 1);
    if (!AllDigits(len_text) || len_text.size() > 3) return std::nullopt;
    prefix_len = std::stoi(std::string(len_text));
    if (prefix_len > max_len) return std::nullopt;
  }
  Cidr cidr;
  if (IsV4Mapped(*addr) && prefix_len >= 96) {
    cidr.base = MappedToV4(*addr);
    cidr.prefix_len = prefix_len - 96;
  } else {
    // A shorter IPv6 prefix over the mapped range stays IPv6: it cannot be expressed as one
    // IPv4 network, and mapped addresses are compared as IPv4 after normalisation.
    cidr.base = *addr;
    cidr.prefix_len = prefix_len;
  }
  ClearHostBits(cidr.base, cidr.prefix_len);
  return cidr;
}

Result<CidrSet> CidrSet::Parse(std::span<const std::string> entries, std::string_view list_name) {
  CidrSet set;
  for (const auto& raw : entries) {
    std::string_view entry = Trim(raw);
    if (entry.empty()) continue;
    auto cidr = ParseCidr(entry);
    if (!cidr) {
      return Error::InvalidRequest(
          "invalid CIDR \"" + std::string(entry) + "\" in " + std::string(list_name),
          "invalid_cidr");
    }
    set.cidrs_.push_back(*cidr);
  }
  return set;
}

bool CidrSet::Contains(const IpAddress& ip) const {
  return std::any_of(cidrs_.begin(), cidrs_.end(), [&](const Cidr& c) { return c.Contains(ip); });
}

bool CidrSet::Contains(std::string_view ip) const {
  auto addr = ParseIp(ip);
  return addr && Contains(*addr);
}

Result<IpAccessList> IpAccessList::Parse(std::span<const std::string> allow_list,
                                         std::span<const std::string> deny_list) {
  auto allow = CidrSet::Parse(allow_list, "allow list");
  if (!allow.ok()) return std::move(allow).error();
  auto deny = CidrSet::Parse(deny_list, "deny list");
  if (!deny.ok()) return std::move(deny).error();
  IpAccessList list;
  list.allow_ = std::move(allow).value();
  list.deny_ = std::move(deny).value();
  return list;
}

bool IpAccessList::Allowed(std::string_view ip) const {
  auto addr = ParseIp(ip);
  if (!addr) return allow_.empty() && deny_.empty();
  if (deny_.Contains(*addr)) return false;
  return allow_.empty() || allow_.Contains(*addr);
}

std::string ClientIp(std::string_view peer_ip, std::string_view x_forwarded_for,
                     const CidrSet& trusted_proxies) {
  auto peer = ParseIp(peer_ip);
  if (!peer) return std::string(peer_ip);
  if (!trusted_proxies.Contains(*peer)) return FormatIp(*peer);
  IpAddress client = *peer;
  std::string_view rest = x_forwarded_for;
  while (!Trim(rest).empty()) {
    size_t comma = rest.rfind(',');
    std::string_view hop = comma == std::string_view::npos ? rest : rest.substr(comma + 1);
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(0, comma);
    auto addr = ParseForwardedHop(hop);
    // A hop no trusted proxy could have written (garbage, "unknown") means everything left of
    // here is client-controlled: keep the last address a trusted proxy vouched for.
    if (!addr) break;
    client = *addr;
    if (!trusted_proxies.Contains(client)) break;
  }
  return FormatIp(client);
}

bool IsLoopback(std::string_view ip) {
  auto addr = ParseIp(ip);
  if (!addr) return false;
  if (addr->v4) return addr->bytes[0] == 127;
  static constexpr std::array<uint8_t, 16> kV6Loopback = {0, 0, 0, 0, 0, 0, 0, 0,
                                                          0, 0, 0, 0, 0, 0, 0, 1};
  return addr->bytes == kV6Loopback;
}

}  // namespace omni::auth
