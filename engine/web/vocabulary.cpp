#include "web/vocabulary.h"

#include "diag/diagnostic.h"
#include "io/resources.h"
#include "workflow/municipality.h"

namespace ppko::web {

namespace {

const workflow::Registry& builtin_registry() {
    static const io::Resources resources;
    static const workflow::Registry registry(resources);
    return registry;
}

}  // namespace

Words::Words() : registry_(&builtin_registry()) {}

Words::Words(std::shared_ptr<const server::LoadedMunicipality> loaded)
    : loaded_(std::move(loaded)), registry_(loaded_ && loaded_->model ? &loaded_->model->registry() : &builtin_registry()) {}

const workflow::Workflow* Words::find(std::string_view workflow, int version) const {
    const auto& registry = *registry_;
    // A version the data no longer hold (a program started under a file since removed): the latest.
    const workflow::Workflow* w = registry.find(workflow, version);
    return w || version == 0 ? w : registry.find(workflow, 0);
}

std::string Words::workflow(std::string_view workflow, int version) const {
    const workflow::Workflow* w = find(workflow, version);
    const std::string title = w && !w->title.empty() ? w->title : std::string("Программа");
    return version > 0 ? title + ", версия " + std::to_string(version) : title;
}

std::string Words::stage(std::string_view workflow, int version, std::string_view stage) const {
    if (const workflow::Workflow* w = find(workflow, version)) {
        if (const auto* s = w->stage(stage); s && !s->title.empty()) return s->title;
    }
    return std::string(stage);
}

const domain::FactSpec* Words::spec(std::string_view workflow, int version, std::string_view fact) const {
    const workflow::Workflow* w = find(workflow, version);
    return w ? w->fact(fact) : nullptr;
}

std::string Words::fact(std::string_view workflow, int version, std::string_view fact) const {
    const auto* f = spec(workflow, version, fact);
    return f && !f->title.empty() ? f->title : std::string(fact);
}

const std::vector<domain::FactSpec>& Words::facts() const {
    static const std::vector<domain::FactSpec> none;
    if (!loaded_ || !loaded_->model || !loaded_->model->workflow()) return none;
    return loaded_->model->workflow()->facts;
}

Words words_of(server::MunicipalityService& service, std::string_view municipality) {
    try {
        return Words(service.load(municipality));
    } catch (const Error&) {
        return Words();  // the page says why the data do not load where it shows them
    }
}

}  // namespace ppko::web
