#include "auth/ip_access.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace omni::auth {
namespace {

using Strings = std::vector<std::string>;

CidrSet Set(const Strings& entries) {
  auto s = CidrSet::Parse(entries);
  EXPECT_TRUE(s.ok()) << s.error().message;
  return s.ok() ? s.value() : CidrSet{};
}

IpAccessList List(const Strings& allow, const Strings& deny) {
  auto l = IpAccessList::Parse(allow, deny);
  EXPECT_TRUE(l.ok()) << l.error().message;
  return l.ok() ? l.value() : IpAccessList{};
}

TEST(ParseIp, AcceptsBothFamiliesAndNormalises) {
  ASSERT_TRUE(ParseIp("192.168.1.10").has_value());
  EXPECT_TRUE(ParseIp("192.168.1.10")->v4);
  ASSERT_TRUE(ParseIp("::1").has_value());
  EXPECT_FALSE(ParseIp("::1")->v4);
  // Compressed and expanded IPv6 are the same address.
  EXPECT_EQ(ParseIp("2001:db8::1"), ParseIp("2001:0db8:0000:0000:0000:0000:0000:0001"));
  EXPECT_EQ(ParseIp("2001:DB8::1"), ParseIp("2001:db8::1"));
  // IPv4-mapped IPv6 is IPv4.
  EXPECT_EQ(ParseIp("::ffff:10.1.2.3"), ParseIp("10.1.2.3"));
  EXPECT_EQ(ParseIp("::ffff:a01:203"), ParseIp("10.1.2.3"));
  EXPECT_TRUE(ParseIp("::ffff:10.1.2.3")->v4);
  // Brackets and zones are dropped.
  EXPECT_EQ(ParseIp("[2001:db8::1]"), ParseIp("2001:db8::1"));
  EXPECT_EQ(ParseIp("fe80::1%eth0"), ParseIp("fe80::1"));
  // Not mapped: IPv4-compatible and NAT64 forms stay IPv6.
  EXPECT_FALSE(ParseIp("::10.1.2.3")->v4);
  EXPECT_FALSE(ParseIp("64:ff9b::10.1.2.3")->v4);
}

TEST(ParseIp, RejectsInvalidText) {
  for (const char* bad : {"", " ", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.-4", "01.2.3.4",
                          " 1.2.3.4", "1.2.3.4 ", "1.2.3.4:80", "::1::2", "gggg::1", "[::1", "::1]",
                          "1:2:3:4:5:6:7:8:9", "fe80::1%", "localhost", "0x7f.0.0.1"}) {
    EXPECT_FALSE(ParseIp(bad).has_value()) << bad;
  }
}

TEST(FormatIp, IsCanonical) {
  EXPECT_EQ(FormatIp(*ParseIp("2001:0DB8:0000:0000:0000:0000:0000:0001")), "2001:db8::1");
  EXPECT_EQ(FormatIp(*ParseIp("::ffff:10.1.2.3")), "10.1.2.3");
  EXPECT_EQ(FormatIp(*ParseIp("10.0.0.1")), "10.0.0.1");
}

TEST(Cidr, ZeroPrefixCoversItsFamilyOnly) {
  CidrSet v4_all = Set({"0.0.0.0/0"});
  EXPECT_TRUE(v4_all.Contains("1.2.3.4"));
  EXPECT_TRUE(v4_all.Contains("255.255.255.255"));
  EXPECT_TRUE(v4_all.Contains("::ffff:1.2.3.4"));
  EXPECT_FALSE(v4_all.Contains("2001:db8::1"));
  CidrSet v6_all = Set({"::/0"});
  EXPECT_TRUE(v6_all.Contains("2001:db8::1"));
  EXPECT_TRUE(v6_all.Contains("::"));
  EXPECT_FALSE(v6_all.Contains("1.2.3.4"));
}

TEST(Cidr, HostPrefixesMatchExactly) {
  CidrSet s = Set({"10.0.0.1/32", "2001:db8::1/128", "192.168.0.5", "fd00::5"});
  EXPECT_TRUE(s.Contains("10.0.0.1"));
  EXPECT_FALSE(s.Contains("10.0.0.2"));
  EXPECT_FALSE(s.Contains("10.0.0.0"));
  EXPECT_TRUE(s.Contains("2001:db8::1"));
  EXPECT_FALSE(s.Contains("2001:db8::2"));
  EXPECT_TRUE(s.Contains("192.168.0.5"));  // bare address = /32
  EXPECT_FALSE(s.Contains("192.168.0.6"));
  EXPECT_TRUE(s.Contains("fd00:0::5"));  // bare address = /128
  EXPECT_FALSE(s.Contains("fd00::6"));
}

TEST(Cidr, NetworkBoundaries) {
  CidrSet s = Set({"10.0.0.0/8", "172.16.0.0/12", "192.168.1.7/24", "2001:db8::/32", "fe80::/10"});
  EXPECT_TRUE(s.Contains("10.255.255.255"));
  EXPECT_FALSE(s.Contains("11.0.0.0"));
  EXPECT_FALSE(s.Contains("9.255.255.255"));
  EXPECT_TRUE(s.Contains("172.31.255.255"));  // /12 ends mid-octet
  EXPECT_FALSE(s.Contains("172.32.0.0"));
  EXPECT_FALSE(s.Contains("172.15.255.255"));
  EXPECT_TRUE(s.Contains("192.168.1.200"));  // host bits in the entry are cleared
  EXPECT_TRUE(s.Contains("192.168.1.0"));
  EXPECT_FALSE(s.Contains("192.168.2.1"));
  EXPECT_TRUE(s.Contains("2001:db8:ffff:ffff::1"));
  EXPECT_FALSE(s.Contains("2001:db9::"));
  EXPECT_TRUE(s.Contains("febf:ffff::1"));  // fe80::/10 covers fe80..febf
  EXPECT_FALSE(s.Contains("fec0::1"));
  CidrSet pair = Set({"2001:db8:1::/127"});
  EXPECT_TRUE(pair.Contains("2001:db8:1::"));
  EXPECT_TRUE(pair.Contains("2001:db8:1::1"));
  EXPECT_FALSE(pair.Contains("2001:db8:1::2"));
  CidrSet v4_pair = Set({"192.0.2.4/31"});
  EXPECT_TRUE(v4_pair.Contains("192.0.2.5"));
  EXPECT_FALSE(v4_pair.Contains("192.0.2.6"));
  EXPECT_FALSE(v4_pair.Contains("192.0.2.3"));
  EXPECT_FALSE(s.Contains("not an ip"));
}

TEST(Cidr, MappedEntriesAreIpv4) {
  CidrSet s = Set({"::ffff:10.0.0.0/104"});  // = 10.0.0.0/8
  EXPECT_TRUE(s.Contains("10.1.2.3"));
  EXPECT_TRUE(s.Contains("::ffff:10.1.2.3"));
  EXPECT_FALSE(s.Contains("11.1.2.3"));
  // A mapped client address is matched by plain IPv4 entries.
  EXPECT_TRUE(Set({"10.0.0.0/8"}).Contains("::ffff:10.9.9.9"));
}

TEST(Cidr, InvalidEntries) {
  for (const char* bad :
       {"10.0.0.0/33", "::/129", "10.0.0.0/", "/8", "10.0.0.0/-1", "10.0.0.0/+8", "10.0.0.0/8/8",
        "10.0.0/8", "abc", "abc/8", "[::1]/128", "fe80::1%eth0/64", "10.0.0.0/ 8", "10.0.0.0/0008",
        "10.0.0.0/8a", "999.0.0.0/8"}) {
    EXPECT_FALSE(ParseCidr(bad).has_value()) << bad;
  }
}

TEST(CidrSet, BadEntryIsA400NamingIt) {
  auto s = CidrSet::Parse(Strings{"10.0.0.0/8", "10.0.0.0/33"}, "trusted proxies");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().status, 400);
  EXPECT_EQ(s.error().code, "invalid_cidr");
  EXPECT_NE(s.error().message.find("10.0.0.0/33"), std::string::npos) << s.error().message;
  EXPECT_NE(s.error().message.find("trusted proxies"), std::string::npos);
}

TEST(CidrSet, TrimsAndSkipsEmptyEntries) {
  CidrSet s = Set({" 10.0.0.0/8 ", "", "   "});
  EXPECT_EQ(s.size(), 1u);
  EXPECT_TRUE(s.Contains("10.1.1.1"));
}

TEST(IpAccessList, EmptyListsAllowEverything) {
  IpAccessList open;
  EXPECT_TRUE(open.Allowed("1.2.3.4"));
  EXPECT_TRUE(open.Allowed("2001:db8::1"));
  EXPECT_TRUE(open.Allowed("garbage"));
}

TEST(IpAccessList, AllowListOnly) {
  IpAccessList l = List({"10.0.0.0/8", "2001:db8::/32"}, {});
  EXPECT_TRUE(l.Allowed("10.2.3.4"));
  EXPECT_TRUE(l.Allowed("::ffff:10.2.3.4"));
  EXPECT_TRUE(l.Allowed("2001:db8::5"));
  EXPECT_FALSE(l.Allowed("11.2.3.4"));
  EXPECT_FALSE(l.Allowed("2001:db9::5"));
  EXPECT_FALSE(l.Allowed("garbage"));  // fail closed
  EXPECT_FALSE(l.Allowed(""));
}

TEST(IpAccessList, DenyListOnly) {
  IpAccessList l = List({}, {"203.0.113.0/24"});
  EXPECT_FALSE(l.Allowed("203.0.113.9"));
  EXPECT_FALSE(l.Allowed("::ffff:203.0.113.9"));
  EXPECT_TRUE(l.Allowed("203.0.114.9"));
  EXPECT_TRUE(l.Allowed("2001:db8::1"));
  EXPECT_FALSE(l.Allowed("garbage"));
}

TEST(IpAccessList, DenyWinsOverAllow) {
  IpAccessList l = List({"10.0.0.0/8"}, {"10.6.6.0/24", "10.7.7.7"});
  EXPECT_TRUE(l.Allowed("10.1.1.1"));
  EXPECT_FALSE(l.Allowed("10.6.6.6"));
  EXPECT_FALSE(l.Allowed("10.7.7.7"));
  EXPECT_TRUE(l.Allowed("10.7.7.8"));
}

TEST(IpAccessList, ParseErrorsNameTheListAndEntry) {
  auto bad_allow = IpAccessList::Parse(Strings{"10.0.0.0/8", "nope"}, Strings{});
  ASSERT_FALSE(bad_allow.ok());
  EXPECT_EQ(bad_allow.error().status, 400);
  EXPECT_NE(bad_allow.error().message.find("\"nope\""), std::string::npos);
  EXPECT_NE(bad_allow.error().message.find("allow list"), std::string::npos);
  auto bad_deny = IpAccessList::Parse(Strings{}, Strings{"1.2.3.4/40"});
  ASSERT_FALSE(bad_deny.ok());
  EXPECT_NE(bad_deny.error().message.find("1.2.3.4/40"), std::string::npos);
  EXPECT_NE(bad_deny.error().message.find("deny list"), std::string::npos);
}

TEST(ClientIp, UntrustedPeerIgnoresForwardedFor) {
  CidrSet trusted = Set({"10.0.0.0/8"});
  // A direct client cannot pick its address by sending the header.
  EXPECT_EQ(ClientIp("203.0.113.7", "127.0.0.1", trusted), "203.0.113.7");
  EXPECT_EQ(ClientIp("203.0.113.7", "10.0.0.1, 1.1.1.1", trusted), "203.0.113.7");
  EXPECT_EQ(ClientIp("203.0.113.7", "1.1.1.1", CidrSet{}), "203.0.113.7");
}

TEST(ClientIp, TrustedPeerUsesTheRightmostUntrustedHop) {
  CidrSet trusted = Set({"10.0.0.0/8", "fd00::/8"});
  EXPECT_EQ(ClientIp("10.0.0.2", "198.51.100.4", trusted), "198.51.100.4");
  // The client prepended a fake address; the proxy appended the real one.
  EXPECT_EQ(ClientIp("10.0.0.2", "6.6.6.6, 198.51.100.4", trusted), "198.51.100.4");
  // Two proxies in a row.
  EXPECT_EQ(ClientIp("10.0.0.2", "6.6.6.6, 198.51.100.4, 10.0.0.9", trusted), "198.51.100.4");
  EXPECT_EQ(ClientIp("fd00::2", "2001:db8::7,fd00::3", trusted), "2001:db8::7");
}

TEST(ClientIp, EdgeCasesOfTheHeader) {
  CidrSet trusted = Set({"10.0.0.0/8"});
  EXPECT_EQ(ClientIp("10.0.0.2", "", trusted), "10.0.0.2");
  EXPECT_EQ(ClientIp("10.0.0.2", "   ", trusted), "10.0.0.2");
  // Every hop trusted: the leftmost is the best we know.
  EXPECT_EQ(ClientIp("10.0.0.2", "10.0.0.5, 10.0.0.6", trusted), "10.0.0.5");
  // Garbage stops the walk at the last address a trusted proxy vouched for.
  EXPECT_EQ(ClientIp("10.0.0.2", "198.51.100.4, unknown", trusted), "10.0.0.2");
  EXPECT_EQ(ClientIp("10.0.0.2", "unknown, 10.0.0.7", trusted), "10.0.0.7");
  EXPECT_EQ(ClientIp("10.0.0.2", "198.51.100.4,", trusted), "10.0.0.2");
  // Ports and brackets as some proxies write them.
  EXPECT_EQ(ClientIp("10.0.0.2", "198.51.100.4:5555", trusted), "198.51.100.4");
  EXPECT_EQ(ClientIp("10.0.0.2", "[2001:db8::9]:443", trusted), "2001:db8::9");
  EXPECT_EQ(ClientIp("10.0.0.2", "[2001:db8::9]", trusted), "2001:db8::9");
  EXPECT_EQ(ClientIp("10.0.0.2", "2001:db8::9", trusted), "2001:db8::9");
  EXPECT_EQ(ClientIp("10.0.0.2", "198.51.100.4:abc", trusted), "10.0.0.2");
  // Mapped addresses come back as IPv4; the peer is normalised too.
  EXPECT_EQ(ClientIp("::ffff:10.0.0.2", "::ffff:198.51.100.4", trusted), "198.51.100.4");
  EXPECT_EQ(ClientIp("::ffff:203.0.113.1", "1.1.1.1", trusted), "203.0.113.1");
  // An unparseable peer (e.g. a unix socket path) is passed through.
  EXPECT_EQ(ClientIp("unix:/run/omni.sock", "1.1.1.1", trusted), "unix:/run/omni.sock");
}

TEST(IsLoopback, Table) {
  EXPECT_TRUE(IsLoopback("127.0.0.1"));
  EXPECT_TRUE(IsLoopback("127.255.0.9"));
  EXPECT_TRUE(IsLoopback("::1"));
  EXPECT_TRUE(IsLoopback("[::1]"));
  EXPECT_TRUE(IsLoopback("0:0:0:0:0:0:0:1"));
  EXPECT_TRUE(IsLoopback("::ffff:127.0.0.1"));
  EXPECT_FALSE(IsLoopback("128.0.0.1"));
  EXPECT_FALSE(IsLoopback("10.0.0.1"));
  EXPECT_FALSE(IsLoopback("::2"));
  EXPECT_FALSE(IsLoopback("::"));
  EXPECT_FALSE(IsLoopback("localhost"));
  EXPECT_FALSE(IsLoopback(""));
}

}  // namespace
}  // namespace omni::auth
