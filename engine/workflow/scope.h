// Names visible to decision-table inputs and guards, bound to values that live elsewhere (the
// domain's records, the caller's locals) so that nothing is copied to evaluate.
#pragma once

#include <array>
#include <string_view>
#include <utility>
#include <vector>

#include "diag/diagnostic.h"
#include "expr/expr.h"

namespace ppko::workflow {

// Behaves as a JSON object of its names would: a name bound to nothing or to null is not found;
// binding a name again replaces its value in place, so names() lists them in binding order.
class BoundScope final : public expr::Scope {
public:
    void bind(std::string_view name, const data::Json* value) {
        for (std::size_t i = 0; i < size_; ++i) {
            if (bound_[i].first == name) {
                bound_[i].second = value;
                return;
            }
        }
        if (size_ == bound_.size()) throw Error(ErrorId::internal, "", {}, "", "BoundScope: too many names");
        bound_[size_++] = {name, value};
    }
    const data::Json* find(std::string_view name) const override {
        for (std::size_t i = 0; i < size_; ++i) {
            if (bound_[i].first == name) return bound_[i].second && !bound_[i].second->is_null() ? bound_[i].second : nullptr;
        }
        return nullptr;
    }
    void names(std::vector<std::string>& out) const override {
        for (std::size_t i = 0; i < size_; ++i) {
            if (bound_[i].second && !bound_[i].second->is_null()) out.emplace_back(bound_[i].first);
        }
    }

private:
    std::array<std::pair<std::string_view, const data::Json*>, 12> bound_{};
    std::size_t size_ = 0;
};

}  // namespace ppko::workflow
