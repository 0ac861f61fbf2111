#include "document/typography.h"

#include <algorithm>
#include <cstdint>
#include <string_view>

// The pass works on UTF-8 bytes. A paragraph's runs are joined into one text (most paragraphs
// have one run, and then nothing is copied); the text is scanned for the few bytes where a rule
// can apply (digits, spaces, «№», «§», dashes, «ё»), and plain stretches between them are copied
// whole. Whatever is written for input position i goes to the run that holds i, so formatting
// stays where it was. A paragraph no rule touches is not written back at all.

namespace ppko::doc {
namespace {

using std::string_view;

constexpr string_view kEnDash = "\u2013";
constexpr string_view kEmDash = "\u2014";
constexpr string_view kNumero = "\u2116";
constexpr string_view kSection = "\u00A7";

// The Cyrillic letters are two bytes: D0 80–D0 BF, D1 80–D1 9F.
bool is_cyr_upper(const unsigned char* p) { return p[0] == 0xD0 && ((p[1] >= 0x90 && p[1] <= 0xAF) || p[1] == 0x81); }
bool is_cyr_lower(const unsigned char* p) {
    return (p[0] == 0xD0 && p[1] >= 0xB0 && p[1] <= 0xBF) || (p[0] == 0xD1 && ((p[1] >= 0x80 && p[1] <= 0x8F) || p[1] == 0x91));
}

// What sits at a position of the text, as far as the rules care.
struct Text {
    string_view s;

    unsigned char at(std::size_t i) const { return i < s.size() ? static_cast<unsigned char>(s[i]) : 0; }
    bool starts(std::size_t i, string_view w) const { return i <= s.size() && s.substr(i, w.size()) == w; }
    // Byte length of the letter at i (Latin or Cyrillic), 0 when none.
    std::size_t letter(std::size_t i) const {
        const unsigned char c = at(i);
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return 1;
        if (i + 1 < s.size() && (c == 0xD0 || c == 0xD1)) {
            const auto* p = reinterpret_cast<const unsigned char*>(s.data() + i);
            if (is_cyr_upper(p) || is_cyr_lower(p)) return 2;
        }
        return 0;
    }
    bool upper(std::size_t i) const {
        const unsigned char c = at(i);
        if (c >= 'A' && c <= 'Z') return true;
        return i + 1 < s.size() && is_cyr_upper(reinterpret_cast<const unsigned char*>(s.data() + i));
    }
    bool lower(std::size_t i) const {
        const unsigned char c = at(i);
        if (c >= 'a' && c <= 'z') return true;
        return i + 1 < s.size() && is_cyr_lower(reinterpret_cast<const unsigned char*>(s.data() + i));
    }
    bool digit(std::size_t i) const { return at(i) >= '0' && at(i) <= '9'; }
    // Start of the character that ends just before i.
    std::size_t back(std::size_t i) const {
        if (i == 0) return 0;
        --i;
        while (i > 0 && (at(i) & 0xC0) == 0x80) --i;
        return i;
    }
    bool letter_before(std::size_t i) const { return i > 0 && letter(back(i)) > 0; }
    // A space-like gap: ' ', U+00A0 or U+2060; returns its byte length, 0 when none.
    std::size_t gap(std::size_t i) const {
        if (at(i) == ' ') return 1;
        if (starts(i, kNbsp)) return 2;
        if (starts(i, kWordJoiner)) return 3;
        return 0;
    }
    std::size_t skip_gaps(std::size_t i) const {
        while (std::size_t g = gap(i)) i += g;
        return i;
    }
    // A dash or hyphen that may stand between the two ends of a range, with its length.
    std::size_t dash(std::size_t i) const {
        if (at(i) == '-') return 1;
        if (starts(i, kEnDash) || starts(i, kEmDash) || starts(i, kNoBreakHyphen)) return 3;
        return 0;
    }
    std::size_t word_end(std::size_t i) const {
        while (std::size_t n = letter(i)) i += n;
        return i;
    }
    std::size_t word_start(std::size_t i) const {
        while (i > 0 && letter(back(i)) > 0) i = back(i);
        return i;
    }
};

// Month names in the nominative and genitive, lower case: the words a range of months is made of.
constexpr string_view kMonths[] = {
    "январь",  "февраль", "март",  "апрель", "май",    "июнь",    "июль",   "август",  "сентябрь", "октябрь",
    "ноябрь",  "декабрь", "января", "февраля", "марта", "апреля", "мая",   "июня",    "июля",     "августа",
    "сентября", "октября", "ноября", "декабря"};

bool is_month(string_view w) {
    if (w.size() < 6) return false;  // «май»: 3 letters, 6 bytes
    std::string lower(w);
    // Only the first letter may be a capital.
    auto* p = reinterpret_cast<unsigned char*>(lower.data());
    if (p[0] == 0xD0 && p[1] >= 0x90 && p[1] <= 0x9F) p[1] = static_cast<unsigned char>(p[1] + 0x20);
    else if (p[0] == 0xD0 && p[1] >= 0xA0 && p[1] <= 0xAF) p[0] = 0xD1, p[1] = static_cast<unsigned char>(p[1] - 0x20);
    return std::find(std::begin(kMonths), std::end(kMonths), string_view(lower)) != std::end(kMonths);
}

class Setter {
public:
    explicit Setter(const LayoutProfile& p)
        : dash_(p.dash), range_(p.range_dash == "-" ? kNoBreakHyphen : string_view(p.range_dash)),
          month_spaced_(p.month_range_spaced), yo_(p.letter_yo) {}

    // Processes `t` whose runs end at `ends` (ascending; the last is t.size()); appends what each
    // run becomes to outs[k]. Returns false when nothing would change.
    bool run(string_view t, const std::vector<std::size_t>& ends, std::vector<std::string>& outs) {
        t_ = Text{t};
        ends_ = &ends;
        outs_ = &outs;
        changed_ = false;
        run_ = 0;
        for (auto& o : outs) o.clear();
        std::size_t i = 0;
        while (i < t.size()) {
            // Copy the plain stretch up to the next byte a rule may start at, within one run.
            const std::size_t stop = std::min(t.size(), run_end(i));
            const std::size_t j = std::min(next_trigger(i, stop), stop);
            if (j > i) {
                copy(i, j);
                i = j;
                continue;
            }
            i = rule(i);
        }
        return changed_;
    }

private:
    // The next position from j (before `stop`) where a rule may apply: a digit, '-', «№» E2 84 96,
    // «–» «—» U+2011 E2 80 9x, U+2060 E2 81 A0, «§» C2 A7, U+00A0 C2 A0, «ё» D1 91, «Ё» D0 81, and a
    // space before a dash or a capital (the only spaces a rule changes). Steps over whole
    // characters: this loop is most of the pass's time.
    std::size_t next_trigger(std::size_t j, std::size_t stop) const {
        const auto* s = reinterpret_cast<const unsigned char*>(t_.s.data());
        while (j < stop) {
            const unsigned char c = s[j];
            if (c < 0x80) {
                if (c == ' ') {
                    const unsigned char n = t_.at(j + 1);
                    if (n == '-' || n == 0xE2 || (n >= 'A' && n <= 'Z') ||
                        (n == 0xD0 && (t_.at(j + 2) == 0x81 || (t_.at(j + 2) >= 0x90 && t_.at(j + 2) <= 0xAF))))
                        return j;
                } else if ((c >= '0' && c <= '9') || c == '-') {
                    return j;
                }
                ++j;
                continue;
            }
            const unsigned char d = t_.at(j + 1);
            switch (c) {
                case 0xD0:
                    if (d == 0x81 && !yo_) return j;
                    j += 2;
                    continue;
                case 0xD1:
                    if (d == 0x91 && !yo_) return j;
                    j += 2;
                    continue;
                case 0xC2:
                    if (d == 0xA7 || d == 0xA0) return j;
                    j += 2;
                    continue;
                case 0xE2:
                    if (d == 0x84 || d == 0x81 || (d == 0x80 && t_.at(j + 2) >= 0x91 && t_.at(j + 2) <= 0x94)) return j;
                    j += 3;
                    continue;
                default: ++j;
            }
        }
        return stop;
    }

    // End of the run holding input position i (positions past the text belong to the last run).
    std::size_t run_end(std::size_t i) {
        const std::size_t last = ends_->size() - 1;
        while (run_ < last && (*ends_)[run_] <= i) ++run_;
        return (*ends_)[run_];
    }
    // Appends input bytes [a, b) unchanged, to the runs they come from. Nothing is written until
    // the first change (most text has none): then everything before it is copied at once.
    void copy(std::size_t a, std::size_t b) {
        if (!changed_) return;
        while (a < b) {
            const std::size_t e = std::min(b, run_end(a));
            (*outs_)[run_].append(t_.s.substr(a, e - a));
            a = e;
        }
    }
    // Writes `s` for the input [a, b): to the run of `a`.
    void put(std::size_t a, std::size_t b, string_view s) {
        if (!changed_) {
            if (t_.s.substr(a, b - a) == s) return;
            changed_ = true;
            run_ = 0;
            copy(0, a);
        }
        run_end(a);
        (*outs_)[run_].append(s);
        if (b > a) run_end(b - 1);  // the input's later runs lose what moved into run_
    }

    // Applies the rule that starts at i (a trigger byte) and returns where to continue.
    std::size_t rule(std::size_t i) {
        const Text& t = t_;
        const unsigned char c = t.at(i);
        if (c == ' ') return space(i);
        if (c >= '0' && c <= '9') return number(i);
        if (t.starts(i, kNumero) || t.starts(i, kSection)) return sign(i);
        if (t.starts(i, kNbsp)) return space(i);
        if (!yo_ && (t.starts(i, "ё") || t.starts(i, "Ё"))) return yo(i);
        if (c == '-' || t.starts(i, kEnDash) || t.starts(i, kEmDash)) return bare_dash(i);
        // Any other character that starts with a trigger byte: copied as it is.
        std::size_t n = 1;
        while ((t.at(i + n) & 0xC0) == 0x80) ++n;
        copy(i, i + n);
        return i + n;
    }

    // «№ 5», «№5», «№  5» → «№ 5» with U+00A0; «№№ 1» likewise; a sign that ends the text or a
    // line keeps no space after it.
    std::size_t sign(std::size_t i) {
        const string_view s = t_.starts(i, kNumero) ? kNumero : kSection;
        std::size_t j = i;
        while (t_.starts(j, s)) j += s.size();
        copy(i, j);
        const std::size_t k = t_.skip_gaps(j);
        if (k < t_.s.size() && t_.at(k) != '\n' && t_.at(k) != '\t') {
            put(j, k, kNbsp);
        } else {
            put(j, k, "");
        }
        return k;
    }

    // A number; a range of two numbers; the space between a number and the word after it.
    std::size_t number(std::size_t i) {
        std::size_t k = i;
        while (t_.digit(k)) ++k;
        const std::size_t before = t_.back(i);
        const bool starts_free = i == 0 || !(t_.digit(before) || t_.letter(before) || t_.at(before) == '.' ||
                                             t_.at(before) == ',' || t_.at(before) == '/' || t_.dash(before));
        if (starts_free) {
            // digits gap* dash gap* digits, the second number not followed by more of a date or code.
            const std::size_t d = t_.skip_gaps(k);
            if (const std::size_t dl = t_.dash(d)) {
                const std::size_t m = t_.skip_gaps(d + dl);
                std::size_t p = m;
                while (t_.digit(p)) ++p;
                const bool continues = (t_.at(p) == '.' || t_.at(p) == ',' || t_.at(p) == '/' || t_.at(p) == ':') &&
                                       t_.digit(p + 1);
                if (p > m && !continues && !t_.dash(p) && !t_.letter(p)) {
                    copy(i, k);
                    std::string mid;
                    mid.append(kWordJoiner).append(range_).append(kWordJoiner);
                    put(k, m, mid);
                    copy(m, p);
                    return after_number(p);
                }
            }
        }
        copy(i, k);
        return after_number(k);
    }

    // «7–8 классов», «25 %»: U+00A0 between a number and the word or per cent sign after it.
    std::size_t after_number(std::size_t k) {
        const std::size_t g = t_.at(k) == ' ' ? 1 : 0;
        if (g && (t_.letter(k + 1) || t_.at(k + 1) == '%')) {
            put(k, k + 1, kNbsp);
            return k + 1;
        }
        return k;
    }

    // A space: before a dash between words or months; between initials and a surname; after «г.».
    std::size_t space(std::size_t i) {
        const std::size_t len = t_.at(i) == ' ' ? 1 : 2;
        const std::size_t next = i + len;
        if (const std::size_t dl = t_.dash(next); dl && t_.gap(next + dl)) {
            // « - », « – », « — » between words (a range of numbers was taken by number()).
            const std::size_t after = t_.skip_gaps(next + dl);
            std::string s;
            if (months_around(i, after)) {
                s.append(month_spaced_ ? kNbsp : kWordJoiner).append(range_).append(month_spaced_ ? " " : kWordJoiner);
            } else {
                s.append(kNbsp).append(dash_).append(" ");
            }
            put(i, after, s);
            return after;
        }
        if (joins_name(i, next)) {
            put(i, next, kNbsp);
            return next;
        }
        copy(i, next);
        return next;
    }

    // True when the words ending at `a` and starting at `b` are both months.
    bool months_around(std::size_t a, std::size_t b) const {
        if (!t_.letter_before(a) || !t_.letter(b)) return false;
        const std::size_t ws = t_.word_start(a);
        const std::size_t we = t_.word_end(b);
        return is_month(t_.s.substr(ws, a - ws)) && is_month(t_.s.substr(b, we - b));
    }

    // The space [i, next) joins an initial to a name: «Т.И.|Ковальская», «Т.|И.», «Ковальская|Т.И.»,
    // «г.|Демидов».
    bool joins_name(std::size_t i, std::size_t next) const {
        if (!t_.upper(next)) return false;
        if (i >= 2 && t_.at(i - 1) == '.') {
            const std::size_t l = t_.back(i - 1);
            const bool single = (t_.upper(l) || t_.starts(l, "г")) && !t_.letter_before(l);
            if (single) return true;
        }
        // A capitalised word, then initials: «Ковальская Т.И.» (an initial: one capital and a dot).
        const std::size_t e = initial(next);
        if (e > next && (!t_.letter(e) || initial(e) > e) && t_.letter_before(i)) {
            const std::size_t ws = t_.word_start(i);
            return i - ws >= 4 && t_.upper(ws) && t_.lower(t_.back(i));
        }
        return false;
    }

    // End of the initial («Т.») at i, or i when there is none.
    std::size_t initial(std::size_t i) const {
        if (!t_.upper(i)) return i;
        const std::size_t n = t_.letter(i);
        return t_.at(i + n) == '.' ? i + n + 1 : i;
    }

    // A dash touching letters: «март-август» between months becomes the range form; others stay.
    std::size_t bare_dash(std::size_t i) {
        const std::size_t dl = t_.dash(i);
        if (t_.letter_before(i) && t_.letter(i + dl) && months_around(i, i + dl)) {
            std::string s;
            if (month_spaced_) s.append(kNbsp).append(range_).append(" ");
            else s.append(kWordJoiner).append(range_).append(kWordJoiner);
            put(i, i + dl, s);
            return i + dl;
        }
        copy(i, i + dl);
        return i + dl;
    }

    // «ё» → «е», but not in «всё».
    std::size_t yo(std::size_t i) {
        const bool capital = t_.starts(i, "Ё");
        const std::size_t ws = t_.word_start(i);
        const std::size_t we = t_.word_end(i + 2);
        const string_view w = t_.s.substr(ws, we - ws);
        if (w == "всё" || w == "Всё" || w == "ВСЁ") {
            copy(i, i + 2);
        } else {
            put(i, i + 2, capital ? "Е" : "е");
        }
        return i + 2;
    }

    string_view dash_, range_;
    bool month_spaced_, yo_;
    Text t_;
    const std::vector<std::size_t>* ends_ = nullptr;
    std::vector<std::string>* outs_ = nullptr;
    std::size_t run_ = 0;
    bool changed_ = false;
};

// ---- list punctuation ------------------------------------------------------------------------

// First letter of a paragraph's text: 1 upper, -1 lower, 0 none.
int first_letter_case(const Paragraph& p) {
    for (const Run& r : p.runs) {
        const Text t{r.text};
        for (std::size_t i = 0; i < r.text.size();) {
            if (t.upper(i)) return 1;
            if (t.lower(i)) return -1;
            if (t.digit(i)) return 0;  // «1) …», «2018 …»: not a word
            ++i;
            while (i < r.text.size() && (t.at(i) & 0xC0) == 0x80) ++i;
        }
    }
    return 0;
}

// Makes the paragraph end with `mark` (';' or '.'): replaces a final '.', ',' or ';'; with `append`
// also adds it after a letter, digit, closing quote or bracket; leaves ':', '!', '?', '…' and empty
// paragraphs.
void end_with(Paragraph& p, char mark, bool append) {
    for (auto it = p.runs.rbegin(); it != p.runs.rend(); ++it) {
        std::string& s = it->text;
        std::size_t e = s.size();
        while (e > 0 && (s[e - 1] == ' ' || s[e - 1] == '\n' || s[e - 1] == '\t')) --e;
        if (e == 0) continue;
        const char last = s[e - 1];
        if (last == '.' || last == ',' || last == ';') {
            // «т.д.», «г.» end in an abbreviation's dot: a list of them keeps it before «;».
            const std::size_t l = Text{s}.back(e - 1);  // the character before the final mark
            if (last == '.' && mark == ';' && l > 0 && s[l - 1] == '.') {
                s.insert(e, 1, ';');
            } else {
                s[e - 1] = mark;
            }
        } else if (last == ':' || last == '!' || last == '?' || (e >= 3 && string_view(s).substr(e - 3, 3) == "…")) {
            return;
        } else if (append) {
            s.insert(e, 1, mark);
        }
        return;
    }
}

// The items of one list instance, in order, in one block sequence.
void punctuate_lists(std::vector<Block>& blocks) {
    std::vector<Paragraph*> run;
    // Group list items by list id, keeping their order.
    std::vector<std::pair<int, std::vector<Paragraph*>>> lists;
    for (Block& b : blocks) {
        if (auto* p = std::get_if<Paragraph>(&b.value); p && p->list.list >= 0) {
            auto it = std::find_if(lists.begin(), lists.end(), [&](auto& l) { return l.first == p->list.list; });
            if (it == lists.end()) {
                lists.push_back({p->list.list, {}});
                it = std::prev(lists.end());
            }
            it->second.push_back(p);
        } else if (auto* t = std::get_if<Table>(&b.value)) {
            for (Row& r : t->rows) {
                for (Cell& c : r.cells) punctuate_lists(c.blocks);
            }
        }
    }
    for (auto& [id, items] : lists) {
        const std::size_t n = items.size();
        for (std::size_t a = 0; a < n; ++a) {
            // A run of siblings starts at the first item and after a parent; an item that follows
            // a deeper one continues a run that started earlier.
            const int level = items[a]->list.level;
            if (a > 0 && items[a - 1]->list.level >= level) continue;
            run.clear();
            std::size_t b = a;
            for (; b < n && items[b]->list.level >= level; ++b) {
                if (items[b]->list.level == level) run.push_back(items[b]);
            }
            const bool ends_list = b == n;
            const bool lower = std::all_of(run.begin(), run.end(), [](Paragraph* p) { return first_letter_case(*p) < 0; });
            // Items in lower case continue one sentence: «;» between them, «.» at its end. Items
            // that are sentences or headings keep theirs, but the list never ends with «;».
            for (std::size_t k = 0; k + 1 < run.size(); ++k) {
                if (lower) end_with(*run[k], ';', true);
            }
            if (ends_list) {
                end_with(*run.back(), '.', lower);
            } else if (lower) {
                end_with(*run.back(), ';', true);
            }
        }
    }
}

// ---- the walk ---------------------------------------------------------------------------------

class Walker {
public:
    explicit Walker(const LayoutProfile& p) : setter_(p) {}

    void blocks(std::vector<Block>& bs) {
        for (Block& b : bs) {
            if (auto* p = std::get_if<Paragraph>(&b.value)) {
                paragraph(*p);
            } else if (auto* t = std::get_if<Table>(&b.value)) {
                text(t->caption);
                for (Row& r : t->rows) {
                    for (Cell& c : r.cells) blocks(c.blocks);
                }
            } else if (auto* s = std::get_if<Signature>(&b.value)) {
                for (std::string& l : s->position_lines) text(l);
                text(s->name);
            }
        }
    }

    void text(std::string& s) {
        if (s.empty()) return;
        ends_.assign(1, s.size());
        outs_.resize(1);
        if (setter_.run(s, ends_, outs_)) s.swap(outs_[0]);
    }

private:
    void paragraph(Paragraph& p) {
        if (p.runs.empty()) return;
        if (p.runs.size() == 1) return text(p.runs[0].text);
        joined_.clear();
        ends_.clear();
        for (const Run& r : p.runs) {
            joined_ += r.text;
            ends_.push_back(joined_.size());
        }
        outs_.resize(p.runs.size());
        // Empty runs end where the previous one does; run_end() skips them.
        if (!setter_.run(joined_, ends_, outs_)) return;
        for (std::size_t k = 0; k < p.runs.size(); ++k) p.runs[k].text.swap(outs_[k]);
    }

    Setter setter_;
    std::string joined_;
    std::vector<std::size_t> ends_;
    std::vector<std::string> outs_;
};

}  // namespace

void typeset(Document& d, const LayoutProfile& profile) {
    if (!profile.typography) return;
    Walker w(profile);
    w.blocks(d.body);
    punctuate_lists(d.body);
}

void typeset_text(std::string_view in, const LayoutProfile& profile, std::string& out) {
    out.assign(in);
    if (!profile.typography) return;
    Walker w(profile);
    w.text(out);
}

}  // namespace ppko::doc
