#include "workflow/program.h"

#include <map>

#include "diag/diagnostic.h"

namespace ppko::workflow {
namespace {

using data::Json;

[[noreturn]] void damaged(const std::string& origin, const std::string& what) {
    throw Error(ErrorId::store_damaged, origin, {}, "",
                "файл состояния содержит неверные данные (" + what + "); восстановите его из резервной копии или продвиньте программы заново в новый файл");
}

domain::Date date_of(const std::string& s, const std::string& origin, const char* what) {
    const auto d = domain::Date::parse(s);
    if (!d) damaged(origin, std::string(what) + " «" + s + "»");
    return *d;
}

}  // namespace

const char* kind_name(EventKind k) {
    switch (k) {
        case EventKind::created: return "created";
        case EventKind::transition: return "transition";
        case EventKind::completed: return "completed";
        case EventKind::continued: return "continued";
    }
    return "?";
}

store::ProgramState to_store(const Program& p) {
    store::ProgramState s;
    s.school = p.school;
    s.workflow = p.workflow;
    s.workflow_version = p.version;
    s.stage = p.stage;
    s.status = p.status == ProgramStatus::completed ? "completed" : "active";
    s.started_on = p.started_on.iso();
    s.academic_year = p.year.name();
    Json d = Json::object();
    d["stage_entered"] = p.stage_entered.iso();
    if (p.completed_on) d["completed_on"] = p.completed_on->iso();
    if (!p.outcome.empty()) d["outcome"] = p.outcome;
    if (!p.category.empty()) d["category"] = p.category;
    s.data_json = d.dump();
    return s;
}

Program from_store(const store::ProgramState& row, const std::string& origin) {
    Program p;
    p.school = row.school;
    p.workflow = row.workflow;
    p.version = row.workflow_version;
    p.stage = row.stage;
    if (row.status == "active") p.status = ProgramStatus::active;
    else if (row.status == "completed") p.status = ProgramStatus::completed;
    else damaged(origin, "статус программы «" + row.status + "»");
    p.started_on = date_of(row.started_on, origin, "дата начала программы");
    const auto year = domain::AcademicYear::parse(row.academic_year);
    if (!year) damaged(origin, "учебный год «" + row.academic_year + "»");
    p.year = *year;
    const Json d = Json::parse(row.data_json.empty() ? "{}" : row.data_json, nullptr, false);
    if (!d.is_object()) damaged(origin, "данные программы школы «" + row.school + "»");
    p.stage_entered = d.contains("stage_entered") && d["stage_entered"].is_string() ? date_of(d["stage_entered"].get<std::string>(), origin, "дата этапа")
                                                                                     : p.year.start();
    if (d.contains("completed_on") && d["completed_on"].is_string()) p.completed_on = date_of(d["completed_on"].get<std::string>(), origin, "дата завершения");
    if (d.contains("outcome") && d["outcome"].is_string()) p.outcome = d["outcome"].get<std::string>();
    if (d.contains("category") && d["category"].is_string()) p.category = d["category"].get<std::string>();
    return p;
}

store::Event to_store(const Event& e) {
    store::Event s;
    s.seq = e.seq;
    s.school = e.school;
    s.workflow = e.workflow;
    s.workflow_version = e.version;
    s.date = e.date.iso();
    s.kind = kind_name(e.kind);
    s.from_stage = e.from_stage;
    s.to_stage = e.to_stage;
    s.guard = e.guard;
    Json facts = e.read.is_object() ? e.read : Json::object();
    if (e.kind == EventKind::created) {
        facts["categories"] = e.categories;
        if (!e.category.empty()) facts["category"] = e.category;
    }
    if (!e.outcome.empty()) facts["outcome"] = e.outcome;
    s.facts_json = facts.dump();
    s.note = e.note;
    return s;
}

Event from_store(const store::Event& row, const std::string& origin) {
    Event e;
    e.seq = row.seq;
    e.school = row.school;
    e.workflow = row.workflow;
    e.version = row.workflow_version;
    e.date = date_of(row.date, origin, "дата события");
    if (row.kind == "created") e.kind = EventKind::created;
    else if (row.kind == "transition") e.kind = EventKind::transition;
    else if (row.kind == "completed") e.kind = EventKind::completed;
    else if (row.kind == "continued") e.kind = EventKind::continued;
    else damaged(origin, "вид события «" + row.kind + "»");
    e.from_stage = row.from_stage;
    e.to_stage = row.to_stage;
    e.guard = row.guard;
    Json facts = Json::parse(row.facts_json.empty() ? "{}" : row.facts_json, nullptr, false);
    if (!facts.is_object()) facts = Json::object();
    if (e.kind == EventKind::created) {
        if (facts.contains("category") && facts["category"].is_string()) e.category = facts["category"].get<std::string>();
        if (facts.contains("categories") && facts["categories"].is_array()) {
            for (const auto& c : facts["categories"]) {
                if (c.is_string()) e.categories.push_back(c.get<std::string>());
            }
        }
        facts.erase("category");
        facts.erase("categories");
    }
    if (e.kind == EventKind::completed || e.kind == EventKind::continued) {
        if (facts.contains("outcome") && facts["outcome"].is_string()) e.outcome = facts["outcome"].get<std::string>();
        facts.erase("outcome");
    }
    e.read = std::move(facts);
    e.note = row.note;
    return e;
}

std::vector<Program> state_as_of(const std::vector<Event>& events, domain::Date date) {
    std::map<std::string, Program> programs;
    for (const auto& e : events) {
        if (e.date > date) continue;
        if (e.kind == EventKind::created) {
            Program p;
            p.school = e.school;
            p.workflow = e.workflow;
            p.version = e.version;
            p.category = e.category;
            p.stage = e.to_stage;
            p.started_on = e.date;
            p.year = domain::AcademicYear::of(e.date);
            p.stage_entered = e.date;
            programs[e.school] = std::move(p);
            continue;
        }
        auto it = programs.find(e.school);
        if (it == programs.end()) continue;  // a log that starts mid-program: nothing to move
        Program& p = it->second;
        p.stage = e.to_stage;
        switch (e.kind) {
            case EventKind::created: break;
            case EventKind::transition: p.stage_entered = e.date; break;
            case EventKind::completed:
                p.status = ProgramStatus::completed;
                p.completed_on = e.date;
                p.stage_entered = e.date;
                p.outcome = e.outcome;
                break;
            case EventKind::continued:
                if (auto next = p.year.next()) p.year = *next;
                p.stage_entered = p.year.start();
                p.outcome = e.outcome;
                break;
        }
    }
    std::vector<Program> out;
    out.reserve(programs.size());
    for (auto& [id, p] : programs) out.push_back(std::move(p));
    return out;
}

}  // namespace ppko::workflow
