#include "web/vocabulary.h"

#include <map>
#include <mutex>

#include <nlohmann/json.hpp>

#include "io/resources.h"

namespace ppko::web {
namespace {

struct Words {
    std::map<std::string, std::string, std::less<>> stages, facts;
    std::vector<FactSpec> fact_list;
};

const Words& words_of(std::string_view workflow) {
    static std::mutex mutex;
    static std::map<std::string, Words, std::less<>> cache;
    std::lock_guard lock(mutex);
    if (auto it = cache.find(workflow); it != cache.end()) return it->second;
    Words w;
    static const io::Resources resources;
    if (const auto r = resources.find("workflows/" + std::string(workflow) + ".json")) {
        const auto doc = nlohmann::json::parse(r->text, nullptr, false);
        if (doc.is_object()) {
            for (const auto& f : doc.value("facts", nlohmann::json::array())) {
                if (!f.is_object()) continue;
                FactSpec spec{f.value("id", ""), f.value("title", ""), {}};
                for (const auto& fl : f.value("fields", nlohmann::json::array())) {
                    if (!fl.is_object()) continue;
                    FactField field{fl.value("id", ""), fl.value("title", ""), {}};
                    for (const auto& v : fl.value("values", nlohmann::json::array())) {
                        if (v.is_object()) field.values.emplace_back(v.value("id", ""), v.value("title", ""));
                    }
                    spec.fields.push_back(std::move(field));
                }
                w.fact_list.push_back(std::move(spec));
            }
            for (const auto* key : {"stages", "facts"}) {
                auto& into = std::string_view(key) == "stages" ? w.stages : w.facts;
                for (const auto& item : doc.value(key, nlohmann::json::array())) {
                    if (item.is_object() && item.value("id", "") != "") into[item.value("id", "")] = item.value("title", "");
                }
            }
        }
    }
    return cache.emplace(std::string(workflow), std::move(w)).first->second;
}

std::string lookup(const std::map<std::string, std::string, std::less<>>& m, std::string_view id) {
    auto it = m.find(id);
    return it == m.end() || it->second.empty() ? std::string(id) : it->second;
}

}  // namespace

std::string stage_title(std::string_view workflow, std::string_view stage) { return lookup(words_of(workflow).stages, stage); }

const std::vector<FactSpec>& facts_of(std::string_view workflow) { return words_of(workflow).fact_list; }

std::string fact_title(std::string_view workflow, std::string_view fact) { return lookup(words_of(workflow).facts, fact); }

}  // namespace ppko::web
