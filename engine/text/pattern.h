// Regular expressions of schemas ("pattern"): the ECMAScript subset schemas need, matched in
// time linear in the text by a Thompson NFA run breadth-first (Pike's VM) — no backtracking and
// no recursion over the text, so neither a long value nor a pattern like ^(a+)+$ can hang the
// program or overflow its stack (std::regex does both).
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ppko::text {

// A pattern that cannot be compiled: `offset` is the 0-based character (code point) where the
// problem is; the message is Russian.
class PatternError : public std::runtime_error {
public:
    PatternError(std::size_t offset, const std::string& message) : std::runtime_error(message), offset_(offset) {}
    std::size_t offset() const { return offset_; }

private:
    std::size_t offset_;
};

enum class PatternMatch { yes, no, too_costly };

// Supported: literals (UTF-8), ., [classes] with ranges and [^negation], \d \D \w \W \s \S,
// escapes \t \n \r \f \v \0 \xHH \uHHHH and escaped punctuation, groups (…) and (?:…),
// alternation |, quantifiers * + ? {n} {n,} {n,m} (lazy forms accepted: for a yes/no match they
// mean the same), anchors ^ and $. Not supported (a PatternError says so): backreferences,
// lookaround, \b. Characters are code points, not bytes: «.» matches one Cyrillic letter.
class Pattern {
public:
    // Limits that keep compiling and matching bounded: the pattern's length in characters, the
    // nesting of groups, and the size of the compiled program (counted repetitions are unrolled).
    static constexpr std::size_t kMaxLength = 1000;
    static constexpr int kMaxNesting = 32;
    static constexpr std::size_t kMaxProgram = 4000;
    static constexpr int kMaxRepeat = 1000;
    // Work allowed for one match, in NFA steps (about a second at worst).
    static constexpr std::size_t kDefaultBudget = 50'000'000;

    Pattern() = default;
    // Throws PatternError.
    static Pattern compile(std::string_view pattern);

    // Whether the whole of `text` matches (as std::regex_match). too_costly when the match would
    // take more than `budget` steps (only for huge values against large patterns).
    PatternMatch match(std::string_view text, std::size_t budget = kDefaultBudget) const;

    std::size_t program_size() const { return program_.size(); }

private:
    friend class PatternCompiler;
    struct Range {
        char32_t lo, hi;
    };
    struct Inst {
        enum class Op : unsigned char { chr, any, cls, split, jmp, bol, eol, match };
        Op op = Op::match;
        char32_t c = 0;  // chr
        int x = 0, y = 0;  // jmp: x; split: x, y; cls: x = class index
    };
    struct Class {
        std::vector<Range> ranges;  // sorted, disjoint
        bool negated = false;
        bool contains(char32_t c) const;
    };
    std::vector<Inst> program_;
    std::vector<Class> classes_;
};

}  // namespace ppko::text
