// The words a methodology gives the data: which facts a workflow expects (with the fields of
// their values and the allowed values), and — in rules::Measure — which indicators a record may
// hold. The domain loader holds facts.json and indicators.json to them.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ppko::domain {

struct FactField {
    std::string id, title;
    std::vector<std::pair<std::string, std::string>> values;  // id → title; empty: any value
    const std::string* title_of(std::string_view value) const {
        for (const auto& [value_id, t] : values) {
            if (value_id == value) return &t;
        }
        return nullptr;
    }
};

// A fact the workflow expects (facts.json's "fact"): program_approved, final_monitoring …
struct FactSpec {
    std::string id, title;
    std::vector<FactField> fields;
    const FactField* field(std::string_view field_id) const {
        for (const auto& f : fields) {
            if (f.id == field_id) return &f;
        }
        return nullptr;
    }
};

}  // namespace ppko::domain
