// Test oracle (not part of the build): prints how CppNix's building blocks format
// doubles. Input: one 16-hex-digit IEEE bit pattern per line. Output, tab-separated:
// bits, `ostream << double`, std::to_string(double), nlohmann::json dump.
// Build: g++ -O2 -std=c++20 float-oracle.cc -o /tmp/float-oracle
#include <cstdint>
#include <cstring>
#include <iostream>
#include <sstream>
#include <string>
#include <nlohmann/json.hpp>

int main() {
  std::string line;
  while (std::getline(std::cin, line)) {
    uint64_t bits = std::stoull(line, nullptr, 16);
    double d;
    std::memcpy(&d, &bits, 8);
    std::ostringstream g;
    g << d;
    nlohmann::json j = d;
    std::cout << line << '\t' << g.str() << '\t' << std::to_string(d) << '\t' << j.dump() << '\n';
  }
}
