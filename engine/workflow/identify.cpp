#include "workflow/identify.h"

#include <algorithm>

#include "io/parallel.h"
#include "workflow/scope.h"

namespace ppko::workflow {
std::vector<const rules::Rule*> Identification::unknown_rules() const {
    std::vector<const rules::Rule*> out;
    for (const auto& r : decision.rules) {
        if (r.outcome == rules::Truth::unknown) out.push_back(r.rule);
    }
    return out;
}

bool Identifier::undecided(const Identification& id) const {
    const auto unknown = id.unknown_rules();
    if (unknown.empty()) return false;
    if (id.decision.hits.empty() || workflow_.categories.empty()) return true;
    return std::any_of(unknown.begin(), unknown.end(), [&](const rules::Rule* r) {
        const auto it = r->then.find("category");
        return it != r->then.end() && it->is_string() &&
               std::find(workflow_.categories.begin(), workflow_.categories.end(), it->get<std::string>()) != workflow_.categories.end();
    });
}

Identifier::Identifier(const domain::Domain& domain, const rules::DecisionTable* table, const Workflow& workflow)
    : domain_(domain), table_(table), workflow_(workflow) {}

Identification Identifier::identify(std::size_t school, domain::AcademicYear year, rules::Reads reads) const {
    Identification out;
    if (!table_) return out;
    const domain::School& s = domain_.schools()[school];
    const auto period = basis_period(year);
    out.basis = period ? domain_.indicators(school, *period) : nullptr;
    const data::Json year_value(year.name());
    BoundScope scope;
    scope.bind("school", s.record);
    scope.bind("year", &year_value);
    scope.bind("params", &table_->params());
    if (out.basis) {
        scope.bind("results", out.basis->results);
        scope.bind("context", out.basis->context);
    }
    try {
        out.decision = table_->evaluate(scope, reads);
    } catch (const Error& e) {
        // The methodology met a value it cannot use: the value is in the data, so that is where
        // the message points; the expression's place follows on a second line.
        Diagnostics d;
        for (const auto& original : e.diagnostics().items()) {
            Diagnostic at = original;
            Diagnostic where = original;
            where.message = "здесь методика читает это значение";
            where.json_path.clear();
            at.note = where.format();
            at.message = "значение показателей школы «" + s.id + "» за " + (period ? period->name() : year.name()) +
                         " не подходит методике «" + table_->id() + "»: " + original.message;
            at.file = domain_.file("indicators");
            at.json_path = out.basis ? data::path_index("$.indicators", out.basis->row) : "";
            at.pos = out.basis ? domain_.position("indicators", at.json_path) : Position{};
            d.add(std::move(at));
        }
        throw Error(std::move(d));
    }
    for (std::size_t i = 0; i < table_->inputs().size(); ++i) {
        const expr::Value& v = out.decision.inputs[i];
        if (v.is_missing()) out.unknown_inputs.emplace_back(table_->inputs()[i].id, v.missing_path());
    }
    for (const rules::Rule* hit : out.decision.hits) {
        const data::Json& o = hit->then;
        if (o.contains("category") && o["category"].is_string()) {
            const std::string c = o["category"].get<std::string>();
            if (std::find(out.categories.begin(), out.categories.end(), c) == out.categories.end()) out.categories.push_back(c);
        }
        if (o.contains("reason") && o["reason"].is_string()) out.reasons.push_back(o["reason"].get<std::string>());
    }
    return out;
}

const Identifier::Year& Identifier::year(domain::AcademicYear y) const {
    {
        const std::lock_guard lock(mutex_);
        if (auto it = years_.find(y.first()); it != years_.end()) return *it->second;
    }
    auto built = std::make_unique<Year>();
    const std::size_t n = domain_.schools().size();
    built->categories.resize(n);
    built->reasons.resize(n);
    built->listed.assign(n, 0);
    // Every school on every core: each lands in its own slot; the first failure in school order
    // is the one reported.
    io::parallel_for(n, n < 512 ? 1u : io::thread_count(0, n), [&](unsigned, std::size_t k) {
        Identification id = identify(k, y);
        built->categories[k] = std::move(id.categories);
        built->reasons[k] = std::move(id.reasons);
    });
    const data::Json year_value(y.name());
    for (std::size_t k = 0; k < n; ++k) {
        const auto& cats = built->categories[k];
        bool applies = false;
        if (workflow_.applies_to) {
            const data::Json categories_value(cats);
            BoundScope scope;
            scope.bind("school", domain_.schools()[k].record);
            scope.bind("categories", &categories_value);
            scope.bind("year", &year_value);
            const expr::Value v = workflow_.applies_to->evaluate(scope, expr::Mode::facts);
            applies = !v.is_missing() && expr::truthy(v.get());
        } else {
            applies = std::any_of(workflow_.categories.begin(), workflow_.categories.end(),
                                  [&](const std::string& c) { return std::find(cats.begin(), cats.end(), c) != cats.end(); });
        }
        if (applies) {
            built->participants.push_back(k);
            built->listed[k] = 1;
        }
    }
    const std::lock_guard lock(mutex_);
    auto [it, added] = years_.emplace(y.first(), std::move(built));
    return *it->second;
}

const std::vector<std::string>& Identifier::categories(std::size_t school, domain::AcademicYear y) const {
    return year(y).categories[school];
}

const std::vector<std::string>& Identifier::reasons(std::size_t school, domain::AcademicYear y) const {
    return year(y).reasons[school];
}

const std::vector<std::size_t>& Identifier::participants(domain::AcademicYear y) const { return year(y).participants; }

bool Identifier::participates(std::size_t school, domain::AcademicYear y) const { return year(y).listed[school] != 0; }

std::string Identifier::program_category(std::size_t school, domain::AcademicYear y) const {
    const auto& cats = categories(school, y);
    for (const auto& c : workflow_.categories) {
        if (std::find(cats.begin(), cats.end(), c) != cats.end()) return c;
    }
    return "";
}

}  // namespace ppko::workflow
