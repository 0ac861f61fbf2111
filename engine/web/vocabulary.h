// Words the pages show for a municipality's workflow ids: stage and fact titles and the facts a
// form offers, from the workflows its data version loaded (the built-in workflows/ overlaid by the
// municipality's own, workspace_files.h) — so a municipality that renamed a stage in its own
// methodology reads its own title, and a program that started under an older version keeps that
// version's words.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "domain/vocabulary.h"
#include "server/municipality_service.h"

namespace ppko::web {

class Words {
public:
    // Without a municipality's data (none on the server yet, or they do not load): the built-in
    // methodology's words, and no facts to offer.
    Words();
    explicit Words(std::shared_ptr<const server::LoadedMunicipality> loaded);

    // The workflow's title with its version («Программа повышения качества образования, версия 1»),
    // or «программа» with the version when the workflow is unknown.
    std::string workflow(std::string_view workflow, int version) const;
    // The stage's title («Подготовительный этап») in the workflow's `version` (0: the latest), or
    // the id itself when the workflow or stage is unknown.
    std::string stage(std::string_view workflow, int version, std::string_view stage) const;
    // The fact's title («программа утверждена приказом по школе»), or the id itself.
    std::string fact(std::string_view workflow, int version, std::string_view fact) const;
    // The fact as the workflow declares it (its fields and their values' titles); null when unknown.
    const domain::FactSpec* spec(std::string_view workflow, int version, std::string_view fact) const;
    // The facts the municipality's current workflow declares, in their order (what a form offers);
    // empty when it declares none or the data do not load.
    const std::vector<domain::FactSpec>& facts() const;

private:
    const workflow::Workflow* find(std::string_view workflow, int version) const;
    std::shared_ptr<const server::LoadedMunicipality> loaded_;
    const workflow::Registry* registry_ = nullptr;
};

// The words of `municipality` as its data are now; the built-in ones when they do not load.
Words words_of(server::MunicipalityService& service, std::string_view municipality);

}  // namespace ppko::web
