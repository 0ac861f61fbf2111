// The words people read for the methodology's ids: categories («школа с низкими результатами
// обучения», ШНРО), stages, facts and outcomes by their titles; an event of the log as a sentence;
// `ppko explain` as prose. The only code that turns the typed domain into Russian text (the
// templates say the rest).
#pragma once

#include <string>
#include <string_view>

#include "rules/decision_table.h"
#include "workflow/advance.h"
#include "workflow/identify.h"
#include "workflow/pairing.h"
#include "workflow/program.h"
#include "workflow/workflow.h"

namespace ppko::view {

struct Category {
    std::string id, title, abbr;
};

class Words {
public:
    explicit Words(const rules::DecisionTable* table) : table_(table) {}

    // The category's title and abbreviation from the table's outputs (the id for both when the
    // table does not list it, which integrity checks prevent for shipped tables).
    Category category(std::string_view id) const;
    // «ШНРО» when there is an abbreviation, else the title.
    std::string category_short(std::string_view id) const;
    // "{fail_share}" → the parameter's value.
    std::string with_params(std::string text) const;

    static std::string stage_title(const workflow::Workflow& w, std::string_view stage);

    // The note an event carries in the log (and in documents' history), e.g.
    // «Переход с этапа «Подготовительный этап» на этап «Практический этап (этап внедрения)»:
    // программа утверждена, входной мониторинг проведён».
    std::string describe(const workflow::Event& e, const workflow::Workflow& w) const;

private:
    const rules::DecisionTable* table_;
};

// `ppko explain`: why the school is in its categories (every input with its value, every rule
// with each cell's verdict), whether it is on the year's list, its partners and why, and for its
// program the conditions of the current stage and of the year's end with the values they saw.
std::string explain(const Words& words, const workflow::Identifier& identifier, const workflow::Advancer* advancer,
                    std::size_t school, domain::AcademicYear year, const workflow::Program* program,
                    const workflow::YearPairs* pairs, domain::Date date);

}  // namespace ppko::view
