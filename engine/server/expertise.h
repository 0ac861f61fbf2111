// Experts and their conclusions on the server: which programs an expert account reviews
// (councils.json assigns them — councils[].experts[] whose name equals the account's display name,
// in the account's own municipality), the program as of the council's date, and the conclusion
// the expert writes, kept in the data file conclusions.json (one record per council, school and
// expert, with an edit version of its own; the file is versioned and audited like every data file).
//
//   auto list = expertise::assignments(svc, "smolensk", caller);          // what the caller may see
//   auto a = expertise::assignment(svc, "smolensk", "2020-12-22", "sh-1", caller, "");  // or 404
//   Json c = expertise::conclusion(svc, "smolensk", a);                    // {"version", parts…}
//
// Authorisation: an expert sees only its own assignments; the region and the coordinator read all
// of the municipality; a school none. Anything else is server.not_found, as for what does not exist.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "server/auth.h"
#include "server/municipality_service.h"

namespace ppko::server::expertise {

// A part of the conclusion the expert writes: its key in conclusions.json and its Russian label.
struct Part {
    const char* key;
    const char* label;
};
// In the template's order (domain::kConclusionFields).
extern const Part kParts[6];
// Longest text of one part, in characters.
inline constexpr std::size_t kMaxPartChars = 20000;

struct Assignment {
    std::string council, council_title, council_date;  // the date as ISO "2020-12-22"
    std::string school, school_name;
    std::string expert;  // the name as in councils.json
    std::int64_t conclusion_version = 0;  // 0: nothing written yet
    Json json() const;
};

// The assignments of the municipality `who` may see (see above), by council date and school.
std::vector<Assignment> assignments(MunicipalityService& svc, std::string_view municipality, const Caller& who);

// One assignment: for an expert its own; for the region and coordinator `expert` ("" = the first
// expert the council assigned to the school). server.not_found otherwise.
Assignment assignment(MunicipalityService& svc, std::string_view municipality, std::string_view council,
                      std::string_view school, const Caller& who, std::string_view expert);

// {"assignment", "status": the school's row as of the council date, "explain": the text, "conclusion"}.
Json program(MunicipalityService& svc, std::string_view municipality, const Assignment& a);

// {"version": n (0: not written), "<part>": "paragraphs joined by \n" or ""}.
Json conclusion(MunicipalityService& svc, std::string_view municipality, const Assignment& a);

// Writes the conclusion: `parts` by key (text; lines become paragraphs, empty ones dropped;
// missing or empty parts are not written), `version` the one read (0: new). A stale version →
// record.conflict (409) with the current conclusion; the whole workspace is checked first, as for
// any data file. Returns conclusion().
Json put_conclusion(MunicipalityService& svc, std::string_view municipality, const Assignment& a,
                    const std::map<std::string, std::string, std::less<>>& parts, std::int64_t version, const Actor& actor);

// The conclusion document (the workspace's expert_conclusion document) of the assignment's school,
// DOCX, as of the council. server.not_found when workspace.json declares none for that council.
RenderedFile render(MunicipalityService& svc, std::string_view municipality, const Assignment& a);

}  // namespace ppko::server::expertise
