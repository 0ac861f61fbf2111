#include "workflow/municipality.h"

namespace ppko::workflow {

Municipality::Municipality(const data::Workspace& ws) : ws_(ws), registry_(std::make_unique<Registry>(ws.resources)) {
    if (!ws.workflow.empty()) workflow_ = &registry_->workflow(ws.workflow);
    if (!ws.identification.empty()) table_ = &registry_->table(ws.identification);
    domain::Vocabulary vocabulary;
    vocabulary.identification = table_;
    vocabulary.facts = workflow_ ? &workflow_->facts : nullptr;
    domain_ = std::make_unique<domain::Domain>(domain::Domain::load(ws, vocabulary));
    if (workflow_) {
        identifier_ = std::make_unique<Identifier>(*domain_, table_, *workflow_);
        advancer_ = std::make_unique<Advancer>(*domain_, *identifier_, *registry_);
    }
}

std::optional<domain::AcademicYear> Municipality::default_year() const {
    std::optional<domain::Date> latest;
    auto see = [&](domain::Date d) {
        if (!latest || *latest < d) latest = d;
    };
    for (std::size_t k = 0; k < domain_->schools().size(); ++k) {
        for (const auto& f : domain_->facts(k)) see(f.date);
    }
    for (const auto& p : domain_->partnerships()) see(p.date);
    for (const auto& c : domain_->councils()) see(c.date);
    for (const auto& e : domain_->events()) see(e.day);
    if (latest) return domain::AcademicYear::of(*latest);
    if (!domain_->list_years().empty()) return domain_->list_years().back();
    return std::nullopt;
}

}  // namespace ppko::workflow
