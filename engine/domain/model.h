// The typed domain of a municipality, loaded once from a validated workspace: schools and partner
// organisations, indicator records with the period they describe and the day they became known,
// dated facts, partnerships, councils, the centre's events and monitorings. Every record keeps
// its normalised JSON (what templates print) and its row in the file (for messages). Loading
// checks integrity — references, duplicates, values against the methodology's vocabulary — and
// reports every problem at its file, line:column and JSON path; a Domain exists only for data
// that passed. Queries answer "as of a date": nothing here knows about programs or documents.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "data/workspace.h"
#include "domain/calendar.h"
#include "domain/vocabulary.h"
#include "rules/decision_table.h"

namespace ppko::domain {

using data::Json;

struct School {
    std::string id, name, short_name, kind, district;
    int students = 0;                // 0 when unknown
    std::optional<double> lat, lon;  // coordinates, when the data has them
    const Json* record = nullptr;    // schools.json entry (normalised)
    std::size_t row = 0;             // $.schools[row]
};

// A partner that is not a school (a university branch, a methodical centre): organisations.json.
struct Organisation {
    std::string id, name, short_name, kind;
    const Json* record = nullptr;
    std::size_t row = 0;
};

// One school's indicators describing one academic year (results of that year's procedures,
// context of that year), known from `known_on`.
struct IndicatorRecord {
    std::size_t school = 0;  // index into Domain::schools()
    AcademicYear period;
    Date known_on;
    const Json* record = nullptr;   // {"school", "period", "known_on", "results", "context", …}
    const Json* results = nullptr;  // null when the record has none
    const Json* context = nullptr;
    std::size_t row = 0;            // $.indicators[row]
};

struct Fact {
    std::size_t school = 0;
    Date date;
    std::string name;
    // What conditions see as facts.<name>: the value object (or {"value": v} for a scalar,
    // {"value": true} when none) with "date" (ISO) added.
    Json entry;
    const Json* record = nullptr;
    std::size_t row = 0;
};

struct Pair {
    std::string school, partner;
    std::size_t row = 0;  // index in the partnership's "pairs"
};

// One decision about the partner pairs of an academic year, in force from `date`.
struct Partnership {
    AcademicYear year;
    Date date;
    const Json* record = nullptr;
    const Json* order = nullptr;  // the order that fixed the pairs, or null
    std::optional<Date> plan_deadline;
    int capacity = 3;
    bool match = true;  // participants without a pair get one by matching
    std::vector<Pair> pairs;
    std::size_t row = 0;
};

struct Council {
    std::string id;  // as given, or the date's ISO form
    Date date;
    AcademicYear year;
    const Json* record = nullptr;
    std::size_t row = 0;
};

// The parts of an expert conclusion the expert writes (conclusions.json; each a text: paragraphs).
inline constexpr const char* kConclusionFields[] = {"directions", "internal_evaluation", "conformity",
                                                    "recommendations", "risks", "resources"};

// What an expert wrote on a school's program for a council (conclusions.json).
struct Conclusion {
    std::string council, school, expert;
    const Json* record = nullptr;
};

struct CentreEvent {
    AcademicYear year;
    Date day;  // the date, or the last day of the month when only the month is known
    const Json* record = nullptr;
};

struct Monitoring {
    AcademicYear year;
    Date done;  // the date given, or the end of its year
    const Json* record = nullptr;
};

// What the methodology says the data may hold (both may be null: then nothing is checked
// against a vocabulary).
struct Vocabulary {
    const rules::DecisionTable* identification = nullptr;  // its measures: the indicators
    const std::vector<FactSpec>* facts = nullptr;          // the workflow's facts
};

class Domain {
public:
    // Reads the typed view of `ws` (which must outlive the Domain) and checks its integrity.
    // Throws ppko::Error with every problem found, sorted by file and position.
    static Domain load(const data::Workspace& ws, const Vocabulary& vocabulary);

    const data::Workspace& workspace() const { return *ws_; }

    const std::vector<School>& schools() const { return schools_; }
    const School* school(std::string_view id) const;
    std::optional<std::size_t> school_index(std::string_view id) const;
    const Organisation* organisation(std::string_view id) const;
    // The short name of a school or organisation, or the id itself when it is neither.
    const std::string& party_name(const std::string& id) const;

    // The academic years whose participants can be identified: each year following a period
    // that has indicator records, ascending.
    const std::vector<AcademicYear>& list_years() const { return list_years_; }
    // Periods with indicator records, ascending.
    const std::vector<AcademicYear>& periods() const { return periods_; }

    // The school's record describing `period`, or null; with `known_by`, only if it was known
    // on that day.
    const IndicatorRecord* indicators(std::size_t school, AcademicYear period, std::optional<Date> known_by = std::nullopt) const;

    // The school's facts, by date (stable for equal dates).
    const std::vector<Fact>& facts(std::size_t school) const;

    // The partnership of `year` in force on `as_of` (the latest decision dated on or before it),
    // or null.
    const Partnership* partnership(AcademicYear year, Date as_of) const;
    const std::vector<Partnership>& partnerships() const { return partnerships_; }

    const std::vector<Council>& councils() const { return councils_; }
    const Council* council(std::string_view id) const;
    // The last council of `year` held on or before `as_of`, or null.
    const Council* latest_council(AcademicYear year, Date as_of) const;

    // The conclusion `expert` wrote on `school`'s program for council `council` (conclusions.json),
    // or null.
    const Conclusion* conclusion(std::string_view council, std::string_view school, std::string_view expert) const;
    const std::vector<Conclusion>& conclusions() const { return conclusions_; }

    const std::vector<CentreEvent>& events() const { return events_; }
    const std::vector<Monitoring>& monitorings() const { return monitorings_; }

    // Position of a JSON path in a data file (by stem), for messages; {0,0} when unknown.
    Position position(std::string_view stem, std::string_view path) const;
    std::string file(std::string_view stem) const;

private:
    const data::Workspace* ws_ = nullptr;
    std::vector<School> schools_;
    std::unordered_map<std::string, std::size_t> school_ids_;
    std::vector<Organisation> organisations_;
    std::vector<IndicatorRecord> indicators_;
    std::map<std::pair<std::size_t, int>, std::size_t> indicator_index_;  // (school, period.first) → record
    std::vector<std::vector<Fact>> facts_;                                // by school
    std::vector<Partnership> partnerships_;                               // by (year, date)
    std::vector<Council> councils_;                                       // by date
    std::vector<Conclusion> conclusions_;                                 // as in conclusions.json
    std::vector<CentreEvent> events_;                                     // by day
    std::vector<Monitoring> monitorings_;
    std::vector<AcademicYear> list_years_, periods_;
};

}  // namespace ppko::domain
