// Excel worksheet names: turns whatever a template asked for into a name Excel accepts
// (ECMA-376 Part 1, 18.2.19 `sheet@name`, plus the rules Excel enforces on top of it).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ppko::xlsx {

// Hands out valid, unique sheet names for one workbook. Rules applied to `wanted`:
//   - : \ / ? * [ ] become '_'; control characters, tabs and line breaks become a space;
//     invalid UTF-8 bytes are dropped;
//   - leading/trailing spaces and apostrophes are trimmed (Excel rejects a leading or trailing ');
//   - blank → «Таблица N» (N = `number`, the table's 1-based position in the document);
//   - at most 31 characters, counted in UTF-16 units as Excel does (an emoji counts 2), cut on a
//     character boundary;
//   - unique ignoring case (Latin, Latin-1 and Cyrillic letters fold; «History» is reserved):
//     a repeat gets « (2)», « (3)» … appended, the base cut so the whole stays within 31.
//   SheetNames names;
//   names.next("Дорожная карта", 1) == "Дорожная карта"
//   names.next("дорожная КАРТА", 2) == "дорожная КАРТА (2)"
class SheetNames {
public:
    std::string next(std::string_view wanted, int number);

private:
    std::vector<std::string> folded_;  // case-folded names already handed out
};

}  // namespace ppko::xlsx
