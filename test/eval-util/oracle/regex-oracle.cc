// Test oracle (not part of the build): builtins.match / builtins.split semantics as
// CppNix implements them (prim_match / prim_split in primops.cc: std::regex with
// std::regex::extended, regex_match resp. cregex_iterator), compiled the way Nix is
// (-std=c++2x, hence __STRICT_ANSI__: escaping an ordinary character is an error).
// Input lines: "M <hex regex> <hex string>" or "S <hex regex> <hex string>".
// Output lines: "N" (no match), a list of items "s<hex>;" / "n" (null) / "[" "]",
// or "E<hex of CppNix's error message>".
// libstdc++'s matcher is exponential on some patterns; with ORACLE_TIMEOUT=<seconds>
// each case runs in a forked child and prints "T" when it takes longer.
// Build: g++ -O2 -std=c++23 regex-oracle.cc -o /tmp/regex-oracle
#include <csignal>
#include <cstdlib>
#include <sys/wait.h>
#include <unistd.h>
#include <iostream>
#include <regex>
#include <string>

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
template<class M> static std::string groups(const M & m) {
  std::string out = "[";
  for (size_t i = 1; i < m.size(); i++)
    out += m[i].matched ? "s" + hex(m[i].str()) + ";" : std::string("n");
  return out + "]";
}

static void run(const std::string & line);

int main() {
  const char * to = std::getenv("ORACLE_TIMEOUT");
  std::string line;
  while (std::getline(std::cin, line)) {
    if (!to) { run(line); continue; }
    std::cout.flush();
    pid_t pid = fork();
    if (pid == 0) { alarm(std::atoi(to)); run(line); std::cout.flush(); _exit(0); }
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status)) std::cout << "T\n";
  }
}

static void run(const std::string & line) {
  {
    char mode = line[0];
    size_t sp = line.find(' ', 2);
    std::string re = unhex(line.substr(2, sp - 2));
    const std::string str = unhex(line.substr(sp + 1));
    try {
      std::regex regex(re, std::regex::extended);
      if (mode == 'M') {
        std::cmatch match;
        if (!std::regex_match(str.data(), str.data() + str.size(), match, regex)) std::cout << "N\n";
        else std::cout << groups(match) << "\n";
      } else {
        auto begin = std::cregex_iterator(str.data(), str.data() + str.size(), regex);
        auto end = std::cregex_iterator();
        std::string out;
        size_t len = 0;
        for (auto i = begin; i != end; ++i) {
          out += "s" + hex(i->prefix().str()) + ";" + groups(*i);
          len++;
          if (std::next(i) == end) out += "s" + hex(i->suffix().str()) + ";";
        }
        if (len == 0) out = "s" + hex(str) + ";";
        std::cout << out << "\n";
      }
    } catch (std::regex_error & e) {
      if (e.code() == std::regex_constants::error_space)
        std::cout << "E" << hex("memory limit exceeded by regular expression '" + re + "'") << "\n";
      else
        std::cout << "E" << hex("invalid regular expression '" + re + "'") << "\n";
    }
  }
}
