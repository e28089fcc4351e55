// Test oracle (not part of the build): runs nlohmann::json's SAX parser the way
// CppNix's builtins.fromJSON does (json-to-value.cc: unsigned numbers above
// INT64_MAX and strings/keys containing NUL are errors raised from the callbacks),
// and nlohmann's string dump as used by builtins.toJSON.
// Input lines: "P <hex>" parse the bytes; "D <hex>" dump the bytes as a JSON string.
// Output: one line per input. Parse results are a compact tree:
//   n  t  f  i<int>;  u<unsigned>;  d<16 hex digits of the double>;  s<hex bytes>;
//   [ … ]  { key value … }  (keys as s<hex>, in input order, duplicates kept)
// or "E<message>" for an error. Dump results are "O<hex of output>" or "E<message>".
// Build: g++ -O2 -std=c++20 -I<nlohmann 3.11.3 include dir> json-oracle.cc -o /tmp/json-oracle
// (CppNix 2.36 builds with 3.11.3; 3.11.2 differs only in the empty-input message.)
#include <cstdint>
#include <cstring>
#include <iostream>
#include <limits>
#include <stdexcept>
#include <string>
#include <nlohmann/json.hpp>

using json = nlohmann::json;

static std::string hex(const std::string & s) {
  static const char * d = "0123456789abcdef";
  std::string r;
  for (unsigned char c : s) { r += d[c >> 4]; r += d[c & 15]; }
  return r;
}
static std::string unhex(const std::string & h) {
  std::string r;
  for (size_t i = 0; i + 1 < h.size(); i += 2) r += (char) std::stoi(h.substr(i, 2), nullptr, 16);
  return r;
}
static void noNul(const std::string & s) {
  if (s.find('\0') != std::string::npos) {
    std::string t;
    for (char c : s) { if (c == '\0') t += "\xe2\x90\x80"; else t += c; }
    throw std::runtime_error("input string '" + t + "' cannot be represented as Nix string because it contains null bytes");
  }
}

struct Sax : nlohmann::json_sax<json> {
  std::string out;
  bool null() override { out += "n"; return true; }
  bool boolean(bool b) override { out += b ? "t" : "f"; return true; }
  bool number_integer(number_integer_t v) override { out += "i" + std::to_string(v) + ";"; return true; }
  bool number_unsigned(number_unsigned_t v) override {
    if (v > (uint64_t) std::numeric_limits<int64_t>::max())
      throw std::runtime_error("unsigned json number " + std::to_string(v) + " outside of Nix integer range");
    out += "i" + std::to_string(v) + ";"; return true;
  }
  bool number_float(number_float_t v, const string_t &) override {
    uint64_t b; std::memcpy(&b, &v, 8);
    char buf[20]; std::snprintf(buf, sizeof buf, "%016llx", (unsigned long long) b);
    out += "d"; out += buf; out += ";"; return true;
  }
  bool string(string_t & s) override { noNul(s); out += "s" + hex(s) + ";"; return true; }
  bool binary(binary_t &) override { return true; }
  bool start_object(std::size_t) override { out += "{"; return true; }
  bool key(string_t & s) override { noNul(s); out += "s" + hex(s) + ";"; return true; }
  bool end_object() override { out += "}"; return true; }
  bool start_array(std::size_t) override { out += "["; return true; }
  bool end_array() override { out += "]"; return true; }
  bool parse_error(std::size_t, const std::string &, const nlohmann::detail::exception & ex) override {
    throw std::runtime_error(ex.what());
  }
};

int main() {
  std::string line;
  while (std::getline(std::cin, line)) {
    char mode = line[0];
    std::string in = unhex(line.substr(2));
    try {
      if (mode == 'P') {
        Sax sax;
        std::string_view sv(in);
        bool ok = json::sax_parse(sv, &sax);
        if (!ok) std::cout << "EInvalid JSON Value\n";
        else std::cout << sax.out << "\n";
      } else {
        json j = in;
        std::string d = j.dump();
        std::cout << "O" << hex(d) << "\n";
      }
    } catch (std::exception & e) {
      std::cout << "E" << e.what() << "\n";
    }
  }
}
