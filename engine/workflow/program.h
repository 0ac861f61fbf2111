// A school's program as a typed value, the events that move it, and their conversion to and from
// the store's rows (store::ProgramState, store::Event: strings and JSON text, the only place that
// knows their encoding). A program's state on any date is the fold of its events up to that date
// (state_as_of), so a past date is answered from the log without replaying the workflow.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "data/json_source.h"
#include "domain/calendar.h"
#include "store/store.h"

namespace ppko::workflow {

enum class ProgramStatus { active, completed };

struct Program {
    std::string school;  // school id
    std::string workflow;
    int version = 0;
    std::string category;  // the category it was opened for ("" when the workflow names none)
    std::string stage;
    ProgramStatus status = ProgramStatus::active;
    domain::Date started_on;
    domain::AcademicYear year;  // the academic year it is in now
    domain::Date stage_entered;
    std::optional<domain::Date> completed_on;
    std::string outcome;  // id of the last year-end outcome, "" before the first

    bool operator==(const Program&) const = default;
};

enum class EventKind { created, transition, completed, continued };

struct Event {
    std::int64_t seq = 0;  // from the store; 0 for an event not yet written
    std::string school, workflow;
    int version = 0;
    domain::Date date;
    EventKind kind = EventKind::created;
    std::string from_stage, to_stage;
    std::string guard;                     // the condition that held, as written
    data::Json read = data::Json::object();  // what it read: path → value («нет данных» when unknown)
    std::string category;                  // created: the program's category
    std::vector<std::string> categories;   // created: the school's categories that year
    std::string outcome;                   // completed, continued: the year-end outcome's id
    std::string note;                      // Russian, for `ppko history` (see view::describe_event)
};

const char* kind_name(EventKind k);  // "created", "transition", "completed", "continued"

// The store's rows. from_store throws ppko::Error [store.damaged] naming `origin` when a row does
// not hold what this program writes (a hand-edited date, year or status).
store::ProgramState to_store(const Program& p);
store::Event to_store(const Event& e);
Program from_store(const store::ProgramState& row, const std::string& origin);
Event from_store(const store::Event& row, const std::string& origin);

// Every program as of the end of `date`, from the events dated on or before it (in log order):
// created opens a program; transition moves it; completed ends it; continued carries it into
// the next academic year. Programs in school-id order.
std::vector<Program> state_as_of(const std::vector<Event>& events, domain::Date date);

}  // namespace ppko::workflow
