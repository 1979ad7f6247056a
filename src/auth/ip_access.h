#pragma once
// IP allow/deny lists (CIDR, IPv4 and IPv6) and the client address behind reverse proxies.
//
// Addresses are normalised before any comparison: an IPv4-mapped IPv6 address
// (::ffff:10.1.2.3, what a dual-stack socket reports for IPv4 clients) is treated as the IPv4
// address, and an IPv6 zone ("%eth0") is dropped. A CIDR matches addresses of its own family
// only, so "0.0.0.0/0" covers all of IPv4 and "::/0" all of IPv6; list both to cover everything.
// A mapped CIDR ("::ffff:10.0.0.0/104") is the IPv4 CIDR it denotes ("10.0.0.0/8").
//
// Ownership: CidrSet and IpAccessList are small values built once from config; copy freely.
// Thread-safety: all const methods and free functions are safe to call concurrently.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace omni::auth {

struct IpAddress {
  bool v4 = true;
  std::array<uint8_t, 16> bytes{};  // IPv4 uses bytes[0..3], the rest stays zero
  bool operator==(const IpAddress&) const = default;
};

// Strict textual address: dotted-quad IPv4 (no octal, no shorthand) or RFC 4291 IPv6, optionally
// in brackets and/or with a zone. No ports. nullopt when not an address.
std::optional<IpAddress> ParseIp(std::string_view text);
// Canonical text: dotted quad, or RFC 5952 compressed IPv6.
std::string FormatIp(const IpAddress& ip);

struct Cidr {
  IpAddress base;  // host bits already cleared
  int prefix_len = 0;
  bool Contains(const IpAddress& ip) const;
};

// "a.b.c.d/n", "v6/n", or a bare address (= /32 or /128). Host bits beyond the prefix are
// cleared ("192.168.1.7/24" is 192.168.1.0/24): a common way of writing a network in configs.
std::optional<Cidr> ParseCidr(std::string_view text);

class CidrSet {
 public:
  CidrSet() = default;
  // Entries are trimmed; empty entries are skipped (tolerates "a, b," lists). A bad entry is
  // a 400 error naming it and `list_name` ("allow list", "trusted proxies", ...).
  static Result<CidrSet> Parse(std::span<const std::string> entries,
                               std::string_view list_name = "CIDR list");

  bool Contains(const IpAddress& ip) const;
  // False for unparseable text.
  bool Contains(std::string_view ip) const;
  bool empty() const { return cidrs_.empty(); }
  size_t size() const { return cidrs_.size(); }

 private:
  std::vector<Cidr> cidrs_;  // linear scan: lists are short (a handful of entries)
};

class IpAccessList {
 public:
  IpAccessList() = default;  // no lists: everything allowed
  static Result<IpAccessList> Parse(std::span<const std::string> allow_list,
                                    std::span<const std::string> deny_list);

  // Deny wins over allow; an empty allow list allows every address not denied. Text that is
  // not an address is refused whenever any list is configured (fail closed).
  bool Allowed(std::string_view ip) const;

 private:
  CidrSet allow_;
  CidrSet deny_;
};

// The address of the client that started the request.
// When the peer is not a trusted proxy, X-Forwarded-For is ignored entirely: anyone can send
// that header, so believing it would let a client pick its own address (and dodge IP lists
// and login limits). When the peer is trusted, X-Forwarded-For is walked from the right, each
// hop appended by a trusted proxy naming the one before it; the first untrusted address is the
// client. If every hop is trusted the leftmost is returned; an unparseable hop stops the walk
// at the last good one. Hops may carry ports ("1.2.3.4:5678", "[2001:db8::1]:443").
// Several X-Forwarded-For header lines must be joined with "," first (RFC 9110 §5.3).
// Returns the normalised address text; an unparseable peer_ip is returned unchanged.
std::string ClientIp(std::string_view peer_ip, std::string_view x_forwarded_for,
                     const CidrSet& trusted_proxies);

// 127.0.0.0/8, ::1, and their mapped forms. False for unparseable text.
bool IsLoopback(std::string_view ip);

}  // namespace omni::auth
