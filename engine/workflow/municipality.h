// A workspace with its methodology, ready to answer: the registry of workflow files and decision
// tables, the typed domain checked against the methodology's vocabulary, the identification and
// the advancer. What every command builds first; one object for the CLI and the server.
#pragma once

#include <memory>
#include <optional>

#include "data/workspace.h"
#include "domain/model.h"
#include "workflow/advance.h"
#include "workflow/identify.h"
#include "workflow/workflow.h"

namespace ppko::workflow {

class Municipality {
public:
    // Loads the registry (built-in workflows/ overlaid by the workspace's) and the domain. Throws
    // ppko::Error with every problem: a workflow or table the workspace names and the registry
    // lacks, and every integrity problem of the data.
    explicit Municipality(const data::Workspace& ws);
    Municipality(const Municipality&) = delete;
    Municipality& operator=(const Municipality&) = delete;

    const data::Workspace& workspace() const { return ws_; }
    const Registry& registry() const { return *registry_; }
    const domain::Domain& domain() const { return *domain_; }
    // Null when the workspace names no workflow (an order package without programs).
    const Workflow* workflow() const { return workflow_; }
    const rules::DecisionTable* table() const { return table_; }
    const Identifier* identifier() const { return identifier_.get(); }
    const Advancer* advancer() const { return advancer_.get(); }

    // The academic year documents are about when nothing says otherwise: the latest year with a
    // dated record of the municipality (a fact, a partnership, a council, an event), or the
    // last identified year; nullopt when there is neither.
    std::optional<domain::AcademicYear> default_year() const;

private:
    const data::Workspace& ws_;
    std::unique_ptr<Registry> registry_;
    const Workflow* workflow_ = nullptr;
    const rules::DecisionTable* table_ = nullptr;
    std::unique_ptr<domain::Domain> domain_;
    std::unique_ptr<Identifier> identifier_;
    std::unique_ptr<Advancer> advancer_;
};

}  // namespace ppko::workflow
