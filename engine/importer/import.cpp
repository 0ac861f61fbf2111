#include "importer/import.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <unordered_map>

#include "data/schema.h"
#include "io/atomic_file.h"
#include "sheets/table.h"
#include "text/russian.h"
#include "text/utf8.h"

namespace ppko::importer {

namespace {

namespace fs = std::filesystem;
using data::Json;

std::string q(std::string_view s) { return "«" + std::string(s) + "»"; }

std::string iso(text::Date d) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
    return buf;
}

std::string value_text(const Json& v) {
    if (v.is_number()) return number_ru(v.get<double>());
    if (v.is_string()) return v.get<std::string>();
    return v.dump();
}

// A whole number is stored as an integer (so 30 stays «30» in the file), others as they are.
Json number_json(double v) {
    if (std::floor(v) == v && std::fabs(v) < 1e15) return Json(static_cast<long long>(v));
    return Json(v);
}

bool same_value(const Json& a, const Json& b) {
    if (a.is_number() && b.is_number()) return std::fabs(a.get<double>() - b.get<double>()) < 1e-9;
    return a == b;
}

// The title without a trailing unit: «Доля, %», «Доля (%)», «Доля %» → «доля».
std::string title_key(std::string_view title) {
    std::string k = sheets::normalize_title(title);
    for (std::string_view tail : {" (%)", ", %", " %", "%", ","}) {
        if (k.size() > tail.size() && k.ends_with(tail)) k.resize(k.size() - tail.size());
    }
    while (!k.empty() && (k.back() == ' ' || k.back() == ':')) k.pop_back();
    return k;
}

const Json* leaf(const Json& obj, std::string_view path) {
    const Json* cur = &obj;
    std::size_t start = 0;
    while (true) {
        const auto dot = path.find('.', start);
        const std::string key(path.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
        if (!cur->is_object()) return nullptr;
        const auto it = cur->find(key);
        if (it == cur->end()) return nullptr;
        cur = &*it;
        if (dot == std::string_view::npos) return cur;
        start = dot + 1;
    }
}

void set_leaf(Json& obj, std::string_view path, Json value) {
    Json* cur = &obj;
    std::size_t start = 0;
    while (true) {
        const auto dot = path.find('.', start);
        const std::string key(path.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
        if (dot == std::string_view::npos) {
            (*cur)[key] = std::move(value);
            return;
        }
        Json& next = (*cur)[key];
        if (!next.is_object()) next = Json::object();
        cur = &next;
        start = dot + 1;
    }
}

// Edit distance in code points (for the near names of an unknown school).
std::size_t distance(std::string_view a, std::string_view b) {
    std::vector<char32_t> x, y;
    for (std::size_t i = 0; i < a.size();) x.push_back(text::decode(a, i));
    for (std::size_t i = 0; i < b.size();) y.push_back(text::decode(b, i));
    std::vector<std::size_t> row(y.size() + 1);
    for (std::size_t j = 0; j <= y.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= x.size(); ++i) {
        std::size_t diag = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= y.size(); ++j) {
            const std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (x[i - 1] == y[j - 1] ? 0 : 1)});
            diag = up;
        }
    }
    return row[y.size()];
}

// The workspace's schools, found by code, full name or short name.
class SchoolIndex {
public:
    explicit SchoolIndex(const Json& schools) {
        if (!schools.is_array()) return;
        for (const auto& s : schools) {
            School sc;
            sc.id = s.value("id", "");
            sc.short_name = s.value("short_name", "");
            if (sc.short_name.empty()) sc.short_name = s.value("name", sc.id);
            const std::size_t k = list_.size();
            by_id_.emplace(sc.id, k);
            list_.push_back(sc);
            for (const char* key : {"id", "name", "short_name"}) {
                const auto it = s.find(key);
                if (it != s.end() && it->is_string()) add(normalize_school_name(it->get<std::string>()), k);
            }
        }
    }
    // The school's index, or an error message (with the near names) in `problem`.
    std::optional<std::size_t> find(const std::string& name, std::string& problem, ErrorId& id) const {
        const std::string key = normalize_school_name(name);
        const auto it = by_key_.find(key);
        if (it != by_key_.end()) {
            if (it->second.size() == 1) return it->second.front();
            id = ErrorId::import_ambiguous_school;
            problem = "школа " + q(name) + " подходит к нескольким школам schools.json: ";
            for (std::size_t i = 0; i < it->second.size(); ++i) {
                const auto& s = list_[it->second[i]];
                problem += (i ? ", " : "") + q(s.short_name) + " (" + s.id + ")";
            }
            problem += "; укажите код школы";
            return std::nullopt;
        }
        id = ErrorId::import_unknown_school;
        problem = "школа " + q(name) + " не найдена в schools.json (ни по коду, ни по полному, ни по сокращённому наименованию)";
        std::vector<std::pair<std::size_t, std::size_t>> near;  // distance, school
        for (const auto& [k, schools] : by_key_) {
            for (const auto s : schools) near.emplace_back(distance(key, k), s);
        }
        std::sort(near.begin(), near.end());
        std::vector<std::size_t> shown;
        for (const auto& [d, s] : near) {
            if (shown.size() == 3) break;
            if (std::find(shown.begin(), shown.end(), s) == shown.end()) shown.push_back(s);
        }
        if (!shown.empty()) {
            problem += "; похожие: ";
            for (std::size_t i = 0; i < shown.size(); ++i) {
                problem += (i ? ", " : "") + q(list_[shown[i]].short_name) + " (" + list_[shown[i]].id + ")";
            }
        }
        return std::nullopt;
    }
    const std::string& id(std::size_t k) const { return list_[k].id; }
    // The short name of the school with this code, or "" for a code the list does not have.
    std::string short_name_of(const std::string& id) const {
        const auto it = by_id_.find(id);
        return it == by_id_.end() ? std::string() : list_[it->second].short_name;
    }

private:
    struct School {
        std::string id, short_name;
    };
    void add(const std::string& key, std::size_t k) {
        auto& v = by_key_[key];
        if (std::find(v.begin(), v.end(), k) == v.end()) v.push_back(k);
    }
    std::vector<School> list_;
    std::map<std::string, std::vector<std::size_t>> by_key_;
    std::unordered_map<std::string, std::size_t> by_id_;  // the first school with each code
};

// The schema of a workspace data file (built-in or the workspace's override), or nullopt.
std::optional<data::Schema> schema_of(const data::Workspace& ws, const std::string& stem) {
    const auto r = ws.resources.find("schemas/" + stem + ".schema.json");
    if (!r) return std::nullopt;
    return data::Schema::from_json(data::parse_json(r->text, r->origin));
}

// Short column titles for the schools' fields (the schema's titles are descriptions).
const std::map<std::string, std::string, std::less<>>& school_titles() {
    static const std::map<std::string, std::string, std::less<>> t = {
        {"id", "Код школы"}, {"name", "Полное наименование"}, {"name_genitive", "Наименование в родительном падеже"},
        {"short_name", "Сокращённое наименование"}, {"kind", "Вид"}, {"locality", "Местность"},
        {"students", "Число обучающихся"}, {"head", "Директор"}, {"district", "Район"}};
    return t;
}

Field school_field(bool required) {
    Field f;
    f.path = "school";
    f.title = "Школа";
    f.aliases = {"код школы", "школа (код или наименование)", "ОО", "образовательная организация",
                 "наименование ОО", "наименование образовательной организации", "наименование школы",
                 "код школы из schools.json"};
    f.type = Field::Type::school;
    f.required = required;
    return f;
}

Field text_field(std::string path, std::string title, std::vector<std::string> aliases, Field::Type type = Field::Type::text) {
    Field f;
    f.path = std::move(path);
    f.title = std::move(title);
    f.aliases = std::move(aliases);
    f.type = type;
    return f;
}

// The columns that hold no data of any field: a row number.
bool is_row_number(const std::string& key) {
    return key == "№" || key == "№ п/п" || key == "п/п" || key == "n" || key == "no" || key == "№п/п";
}

struct Mapped {
    std::size_t column;  // index into Table::columns
    const Field* field;
};

// The record's key in its file, as text: "sh-1|2019-2020".
std::string record_key(Kind kind, const Json& r) {
    auto s = [&](const char* k) { return r.contains(k) && r[k].is_string() ? r[k].get<std::string>() : std::string(); };
    switch (kind) {
        case Kind::indicators: return s("school") + "|" + s("period");
        case Kind::schools: return s("id");
        case Kind::facts: return s("school") + "|" + s("fact") + "|" + s("date");
    }
    return {};
}

// The fields that make up the record's key (not counted or listed as values).
bool is_key_field(Kind kind, std::string_view path) {
    switch (kind) {
        case Kind::indicators: return path == "school" || path == "period";
        case Kind::schools: return path == "id";
        case Kind::facts: return path == "school" || path == "fact" || path == "date";
    }
    return false;
}

std::string record_label(Kind kind, const Json& r) {
    std::string k = record_key(kind, r);
    std::replace(k.begin(), k.end(), '|', ' ');
    return k;
}

void leaves(const Json& obj, const std::string& prefix, std::vector<std::string>& out) {
    for (auto it = obj.begin(); it != obj.end(); ++it) {
        const std::string p = prefix.empty() ? it.key() : prefix + "." + it.key();
        if (it->is_object()) leaves(*it, p, out);
        else out.push_back(p);
    }
}

// A stored value as a methodologist reads it: an allowed value by its title, a date as
// ДД.ММ.ГГГГ, a number with a decimal comma.
std::string shown_value(const Field* f, const Json& v) {
    if (f && v.is_string()) {
        const std::string s = v.get<std::string>();
        for (const auto& [stored, title] : f->allowed) {
            if (stored == s) return title;
        }
        if (f->type == Field::Type::date) {
            if (const auto d = text::parse_date(s)) return text::format_date_short(*d);
        }
    }
    return value_text(v);
}

int detect_indent(const std::string& text) {
    const auto nl = text.find('\n');
    if (nl == std::string::npos) return 2;
    std::size_t n = 0;
    while (nl + 1 + n < text.size() && text[nl + 1 + n] == ' ') ++n;
    return n == 0 ? 2 : static_cast<int>(n);
}

}  // namespace

std::string number_ru(double v) {
    std::string s = Json(v).dump();
    if (s.size() > 2 && s.ends_with(".0")) s.resize(s.size() - 2);
    std::replace(s.begin(), s.end(), '.', ',');
    return s;
}

std::optional<Kind> parse_kind(std::string_view s) {
    if (s == "indicators") return Kind::indicators;
    if (s == "schools") return Kind::schools;
    if (s == "facts") return Kind::facts;
    return std::nullopt;
}

const char* stem_of(Kind k) {
    switch (k) {
        case Kind::indicators: return "indicators";
        case Kind::schools: return "schools";
        case Kind::facts: return "facts";
    }
    return "";
}

std::string normalize_school_name(std::string_view s) {
    std::string t = text::change_case(s, false);
    std::string out;
    for (std::size_t i = 0; i < t.size();) {
        const char32_t c = text::decode(t, i);
        switch (c) {
            case U'«': case U'»': case U'"': case U'“': case U'”': case U'„': case U'\'': break;
            case U'ё': text::append_utf8(out, U'е'); break;
            case U'№': out += " № "; break;
            case U'\u00A0': case U'\t': case U'\n': case U'\r': case U'\u202F': out += ' '; break;
            default: text::append_utf8(out, c);
        }
    }
    static const std::map<std::string, std::string, std::less<>> forms = {
        {"мбоу", "муниципальное бюджетное общеобразовательное учреждение"},
        {"маоу", "муниципальное автономное общеобразовательное учреждение"},
        {"мкоу", "муниципальное казенное общеобразовательное учреждение"},
        {"моу", "муниципальное общеобразовательное учреждение"},
        {"гбоу", "государственное бюджетное общеобразовательное учреждение"}};
    std::string result;
    std::size_t i = 0;
    while (i < out.size()) {
        while (i < out.size() && out[i] == ' ') ++i;
        std::size_t j = i;
        while (j < out.size() && out[j] != ' ') ++j;
        if (j == i) break;
        std::string word = out.substr(i, j - i);
        if (const auto it = forms.find(word); it != forms.end()) word = it->second;
        if (!result.empty()) result += ' ';
        result += word;
        i = j;
    }
    return result;
}

std::vector<Field> fields_for(Kind kind, const data::Workspace& ws, const Vocabulary& voc) {
    std::vector<Field> out;
    switch (kind) {
        case Kind::indicators: {
            out.push_back(school_field(true));
            out.push_back(text_field("period", "Учебный год", {"период", "год", "учебный год, который описывают показатели"}));
            out.push_back(text_field("known_on", "Известны с", {"дата", "дата, когда показатели стали известны"}, Field::Type::date));
            if (voc.identification) {
                for (const auto& m : voc.identification->measures()) {
                    Field f;
                    f.path = m.path;
                    f.title = m.title;
                    f.aliases = {m.path, m.name};
                    f.type = Field::Type::mark_or_number;
                    f.has_min = m.has_min;
                    f.has_max = m.has_max;
                    f.min = m.min;
                    f.max = m.max;
                    out.push_back(std::move(f));
                }
            }
            out.push_back(text_field("source", "Источник", {"источник данных"}));
            break;
        }
        case Kind::facts: {
            out.push_back(school_field(true));
            Field date = text_field("date", "Дата", {"дата факта"}, Field::Type::date);
            date.required = true;
            out.push_back(std::move(date));
            Field fact = text_field("fact", "Факт", {"событие", "имя факта"});
            fact.required = true;
            if (voc.facts) {
                for (const auto& f : *voc.facts) fact.allowed.emplace_back(f.id, f.title);
            }
            out.push_back(std::move(fact));
            out.push_back(text_field("note", "Пояснение", {"примечание", "документ", "основание"}));
            break;
        }
        case Kind::schools: {
            const auto schema = schema_of(ws, "schools");
            if (!schema) break;
            const data::SchemaNode* items = nullptr;
            for (const auto& f : schema->root().fields) {
                if (f.name == "schools" && f.node->items) items = f.node->items.get();
            }
            if (!items) break;
            for (const auto& sf : items->fields) {
                using T = data::SchemaNode::Type;
                const auto& n = *sf.node;
                Field f;
                f.path = sf.name;
                if (n.type == T::string) f.type = Field::Type::text;
                else if (n.type == T::integer) f.type = Field::Type::integer;
                else if (n.type == T::number) f.type = Field::Type::number;
                else if (n.type == T::date) f.type = Field::Type::date;
                else continue;  // nested objects and lists are not one cell
                const auto t = school_titles().find(sf.name);
                f.title = t != school_titles().end() ? t->second : n.title;
                f.aliases = {n.title, sf.name};
                f.has_min = n.has_min;
                f.has_max = n.has_max;
                f.min = n.min;
                f.max = n.max;
                for (const auto& v : n.enum_values) f.allowed.emplace_back(v, v);
                if (sf.name == "locality") f.allowed = {{"urban", "городская"}, {"rural", "сельская"}};
                f.required = sf.name == "id";
                out.push_back(std::move(f));
            }
            break;
        }
    }
    return out;
}

Plan plan_import(const data::Workspace& ws, const Vocabulary& voc, const sheets::Workbook& book, const Options& opts) {
    const auto fields = fields_for(opts.kind, ws, voc);
    const std::string stem = stem_of(opts.kind);

    // The mapping file: {"sheet": "…", "columns": {"title as in the sheet": "field path" | null}}.
    std::map<std::string, std::optional<std::string>> mapping;  // title_key → path (nullopt: ignore)
    std::string sheet_name = opts.sheet;
    if (opts.mapping) {
        const std::string mfile = opts.mapping->string();
        auto doc = data::parse_json(io::read_file(*opts.mapping), mfile);
        Diagnostics md;
        if (!doc.value.is_object() || !doc.value.contains("columns") || !doc.value["columns"].is_object()) {
            throw Error(ErrorId::import_mapping, mfile, doc.position_of("$"), "$",
                        "ожидался объект {\"columns\": {\"заголовок столбца\": \"поле\" или null}, \"sheet\": \"лист\"}");
        }
        if (doc.value.contains("sheet") && doc.value["sheet"].is_string() && sheet_name.empty()) {
            sheet_name = doc.value["sheet"].get<std::string>();
        }
        for (auto it = doc.value["columns"].begin(); it != doc.value["columns"].end(); ++it) {
            const std::string path = data::path_member("$.columns", it.key());
            if (it->is_null()) {
                mapping[title_key(it.key())] = std::nullopt;
                continue;
            }
            const bool known = it->is_string() && std::any_of(fields.begin(), fields.end(), [&](const Field& f) { return f.path == it->get<std::string>(); });
            if (!known) {
                std::string expected;
                for (const auto& f : fields) expected += (expected.empty() ? "" : ", ") + f.path;
                md.add(ErrorId::import_mapping, mfile, doc.position_of(path), path,
                       "столбцу " + q(it.key()) + " сопоставлено " + (it->is_string() ? q(it->get<std::string>()) : data::describe_value(*it)) +
                           ", а такого поля в " + stem + ".json нет; есть: " + expected + " (или null — не загружать столбец)");
                continue;
            }
            mapping[title_key(it.key())] = it->get<std::string>();
        }
        if (!md.empty()) throw Error(std::move(md));
    }

    const sheets::Sheet* sheet = nullptr;
    if (!sheet_name.empty()) {
        sheet = &book.sheet(sheet_name);
    } else {
        for (const auto& s : book.sheets) {
            if (!s.hidden && s.name != "Инструкция") {
                sheet = &s;
                break;
            }
        }
        if (!sheet) throw Error(ErrorId::sheet_empty, book.file, {}, "", "в книге нет листов с данными");
    }

    sheets::TableOptions topts;
    for (const auto& f : fields) {
        topts.expected_titles.push_back(f.title);
        for (const auto& a : f.aliases) topts.expected_titles.push_back(a);
    }
    for (const auto& [k, v] : mapping) topts.expected_titles.push_back(k);
    const sheets::Table table = sheets::read_table(book, *sheet, topts);

    // Columns to fields.
    Diagnostics diags;
    std::vector<Mapped> mapped;
    auto field_by_path = [&](const std::string& p) -> const Field* {
        for (const auto& f : fields) {
            if (f.path == p) return &f;
        }
        return nullptr;
    };
    auto match_title = [&](const std::string& key) -> const Field* {
        for (const auto& f : fields) {
            if (title_key(f.title) == key) return &f;
            for (const auto& a : f.aliases) {
                if (title_key(a) == key) return &f;
            }
        }
        return nullptr;
    };
    std::string expected_titles;
    for (const auto& f : fields) expected_titles += (expected_titles.empty() ? "" : ", ") + q(f.title);
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
        const auto& col = table.columns[c];
        const std::string key = title_key(col.title);
        // The whole title, then (for a merged header «ОГЭ / Доля») its last part.
        std::string last = key;
        if (const auto slash = key.rfind(" / "); slash != std::string::npos) last = key.substr(slash + 3);
        const Field* f = nullptr;
        bool ignored = false;
        for (const auto& k : {key, last}) {
            if (const auto it = mapping.find(k); it != mapping.end()) {
                if (!it->second) ignored = true;
                else f = field_by_path(*it->second);
                break;
            }
        }
        if (!f && !ignored) {
            f = match_title(key);
            if (!f) f = match_title(last);
        }
        if (ignored || (!f && (is_row_number(key) || key == title_key(kFormNameTitle)))) continue;
        if (!f) {
            diags.add(ErrorId::import_unknown_column, book.file, {}, sheet->where(table.header_first, col.col),
                      "столбец " + q(col.title) + " не соответствует ни одному полю " + stem + ".json; ожидались: " + expected_titles +
                          "; сопоставьте его полю или null в файле --mapping");
            continue;
        }
        const bool dup = std::any_of(mapped.begin(), mapped.end(), [&](const Mapped& m) { return m.field == f; });
        if (dup) {
            diags.add(ErrorId::import_unknown_column, book.file, {}, sheet->where(table.header_first, col.col),
                      "столбец " + q(col.title) + " повторяет поле " + q(f->title) + " другого столбца");
            continue;
        }
        mapped.push_back({c, f});
    }
    auto has = [&](std::string_view path) {
        return std::any_of(mapped.begin(), mapped.end(), [&](const Mapped& m) { return m.field->path == path; });
    };
    for (const auto& f : fields) {
        if (f.required && !has(f.path)) {
            diags.add(ErrorId::import_missing_column, book.file, {}, sheet->name,
                      "в таблице нет столбца " + q(f.title) + " (поле " + f.path + ")");
        }
    }
    if (opts.kind == Kind::indicators && !has("period") && opts.year.empty()) {
        diags.add(ErrorId::import_missing_column, book.file, {}, sheet->name,
                  "в таблице нет столбца «Учебный год»; укажите год, который описывают показатели: --year 2020-2021");
    }
    if (!opts.year.empty() && !text::parse_academic_year(opts.year)) {
        diags.add(ErrorId::cli_usage, "", {}, "", "учебный год «" + opts.year + "» записан неверно; пример: --year 2019-2020");
    }
    if (!diags.empty()) throw Error(std::move(diags));

    // The target file as it is.
    Plan plan;
    plan.file = ws.dir / (stem + ".json");
    std::string old_text;
    Json doc = Json::object();
    std::error_code ec;
    if (fs::exists(plan.file, ec)) {
        old_text = io::read_file(plan.file);
        doc = Json::parse(old_text);  // valid: load_workspace read it
    }
    if (!doc.contains(stem) || !doc[stem].is_array()) doc[stem] = Json::array();
    Json& records = doc[stem];
    const SchoolIndex schools(ws.data.contains("schools") && ws.data["schools"].contains("schools") ? ws.data["schools"]["schools"] : Json::array());

    std::map<std::string, std::size_t> by_key;
    for (std::size_t i = 0; i < records.size(); ++i) by_key.emplace(record_key(opts.kind, records[i]), i);

    // What the plan and the conflicts show: a field by its column title, a record by the school's
    // short name and code, its year or its fact and date — no file names or field paths.
    auto title_of = [&](const std::string& path) {
        const Field* f = field_by_path(path);
        return f ? f->title : path;
    };
    auto shown_field = [&](const std::string& path, const Json& v) { return title_of(path) + " — " + shown_value(field_by_path(path), v); };
    // `fallback`: the name a school that is not in the list yet (a new one) is shown by.
    auto school_label = [&](const std::string& id, std::string fallback = {}) {
        std::string name = schools.short_name_of(id);
        if (name.empty()) name = std::move(fallback);
        return name.empty() || name == id ? id : name + " (" + id + ")";
    };
    auto readable_label = [&](const Json& r) {
        auto s = [&](const char* k) { return r.contains(k) && r[k].is_string() ? r[k].get<std::string>() : std::string(); };
        switch (opts.kind) {
            case Kind::indicators: return school_label(s("school")) + ", " + s("period");
            case Kind::schools: return school_label(s("id"), !s("short_name").empty() ? s("short_name") : s("name"));
            case Kind::facts: {
                const Json fact = r.contains("fact") ? r["fact"] : Json("");
                const Json date = r.contains("date") ? r["date"] : Json("");
                return school_label(s("school")) + ", " + shown_value(field_by_path("fact"), fact) + ", " +
                       shown_value(field_by_path("date"), date);
            }
        }
        return record_label(opts.kind, r);
    };

    static const std::array<std::string_view, 3> marks = {"не проводилась", "нет такого класса", "отменена"};
    const std::string file = book.file;
    for (const auto& row : table.rows) {
        // A row of indicators or facts with nothing but the school and the year (what `ppko form`
        // fills in) is a school without data: skipped.
        if (opts.kind != Kind::schools && std::all_of(mapped.begin(), mapped.end(), [&](const Mapped& m) {
                return m.field->type == Field::Type::school || m.field->path == "period" || sheets::is_blank(table.text(row, m.column));
            })) {
            continue;
        }
        Json rec = Json::object();
        bool bad = false;
        for (const auto& m : mapped) {
            const Field& f = *m.field;
            const std::string where = table.where(row, m.column);
            auto fail = [&](ErrorId id, std::string msg) {
                diags.add(id, file, {}, where, std::move(msg));
                bad = true;
            };
            const std::string shown = table.text(row, m.column);
            if (sheets::is_blank(shown) && f.type != Field::Type::number && f.type != Field::Type::integer && f.type != Field::Type::mark_or_number) {
                if (f.required) fail(ErrorId::import_bad_value, "не заполнено: " + q(f.title));
                continue;
            }
            switch (f.type) {
                case Field::Type::school: {
                    std::string problem;
                    ErrorId id = ErrorId::import_unknown_school;
                    const auto k = schools.find(shown, problem, id);
                    if (!k) fail(id, problem);
                    else rec["school"] = schools.id(*k);
                    break;
                }
                case Field::Type::date: {
                    const auto d = table.date(row, m.column, diags);
                    if (!d) bad = true;
                    else set_leaf(rec, f.path, iso(*d));
                    break;
                }
                case Field::Type::mark_or_number:
                case Field::Type::number:
                case Field::Type::integer: {
                    if (f.type == Field::Type::mark_or_number) {
                        const std::string n = sheets::normalize_title(shown);
                        if (std::find(marks.begin(), marks.end(), n) != marks.end()) {
                            set_leaf(rec, f.path, n);
                            break;
                        }
                    }
                    const std::size_t before = diags.size();
                    const auto v = table.number(row, m.column, diags);
                    if (diags.size() != before) {
                        bad = true;
                        break;
                    }
                    if (!v) {
                        if (f.required) fail(ErrorId::import_bad_value, "не заполнено: " + q(f.title));
                        break;
                    }
                    if ((f.has_min && *v < f.min) || (f.has_max && *v > f.max)) {
                        std::string range = f.has_min && f.has_max ? "от " + number_ru(f.min) + " до " + number_ru(f.max)
                                            : f.has_min               ? "не меньше " + number_ru(f.min)
                                                                      : "не больше " + number_ru(f.max);
                        fail(ErrorId::import_bad_value, "столбец " + q(f.title) + ": значение " + number_ru(*v) + " вне допустимого: " + range +
                                                            (f.has_max && f.max == 100 && f.has_min && f.min == 0 ? " (доля в процентах)" : ""));
                        break;
                    }
                    if (f.type == Field::Type::integer && std::floor(*v) != *v) {
                        fail(ErrorId::import_bad_value, "столбец " + q(f.title) + ": ожидалось целое число, а записано " + number_ru(*v));
                        break;
                    }
                    set_leaf(rec, f.path, number_json(*v));
                    break;
                }
                case Field::Type::text: {
                    std::string value = shown;
                    if (!f.allowed.empty()) {
                        const std::string k = sheets::normalize_title(shown);
                        const auto it = std::find_if(f.allowed.begin(), f.allowed.end(), [&](const auto& a) {
                            return sheets::normalize_title(a.first) == k || sheets::normalize_title(a.second) == k;
                        });
                        if (it == f.allowed.end()) {
                            std::string list;
                            for (const auto& a : f.allowed) list += (list.empty() ? "" : ", ") + q(a.second == a.first ? a.first : a.second + " (" + a.first + ")");
                            fail(ErrorId::import_bad_value, "столбец " + q(f.title) + ": значение " + q(shown) + " не из допустимых: " + list);
                            break;
                        }
                        value = it->first;
                    }
                    if (f.path == "period" && !text::parse_academic_year(value)) {
                        fail(ErrorId::import_bad_value, "столбец " + q(f.title) + ": учебный год " + q(value) + " записан неверно; пример: 2020-2021");
                        break;
                    }
                    set_leaf(rec, f.path, value);
                    break;
                }
            }
        }
        if (bad) continue;
        if (opts.kind == Kind::indicators && !rec.contains("period")) rec["period"] = opts.year;

        const std::string where_row = sheet->where(row.row, table.columns.front().col);
        const std::string key = record_key(opts.kind, rec);
        if (opts.kind == Kind::schools && key.empty()) {
            diags.add(ErrorId::import_bad_value, file, {}, where_row, "у школы не указан код («Код школы»)");
            continue;
        }
        std::vector<std::string> paths;
        leaves(rec, "", paths);
        const std::string label = readable_label(rec);
        const auto found = by_key.find(key);
        if (found == by_key.end()) {
            // A new record, its fields in the order the schema lists them.
            Json ordered = Json::object();
            for (const auto& f : fields) {
                if (const Json* v = leaf(rec, f.path)) set_leaf(ordered, f.path, *v);
            }
            by_key.emplace(key, records.size());
            records.push_back(std::move(ordered));
            ++plan.records_added;
            plan.values_added += std::count_if(paths.begin(), paths.end(), [&](const std::string& p) { return !is_key_field(opts.kind, p); });
            std::string line = label + ":";
            for (const auto& p : paths) {
                if (is_key_field(opts.kind, p)) continue;
                line += " " + shown_field(p, *leaf(rec, p)) + ";";
            }
            if (line.back() == ';') line.pop_back();
            plan.added.push_back(std::move(line));
            continue;
        }
        Json& old = records[found->second];
        for (const auto& p : paths) {
            if (is_key_field(opts.kind, p)) continue;
            const Json& v = *leaf(rec, p);
            const Json* was = leaf(old, p);
            if (!was || was->is_null()) {
                set_leaf(old, p, v);
                ++plan.values_added;
                plan.added.push_back(label + ": " + shown_field(p, v));
            } else if (same_value(*was, v)) {
                ++plan.values_same;
            } else {
                std::size_t col = 0;
                for (const auto& m : mapped) {
                    if (m.field->path == p) col = m.column;
                }
                const Field* f = field_by_path(p);
                const std::string line = table.where(row, col) + ": " + label + ": " + title_of(p) + " — было " + shown_value(f, *was) +
                                         ", станет " + shown_value(f, v);
                if (!opts.replace) {
                    diags.add(ErrorId::import_conflict, file, {}, table.where(row, col),
                              label + ": " + title_of(p) + " — записано " + shown_value(f, *was) + ", а в таблице " + shown_value(f, v) +
                                  "; " + opts.replace_hint);
                    continue;
                }
                set_leaf(old, p, v);
                ++plan.values_changed;
                plan.changed.push_back(line);
            }
        }
    }
    if (!diags.empty()) throw Error(std::move(diags));

    // The new text, formatted as the file was (its indentation), validated by the schema.
    plan.text = plan.changes_anything() ? doc.dump(detect_indent(old_text)) + "\n" : old_text;
    if (plan.changes_anything()) {
        if (const auto schema = schema_of(ws, stem)) {
            auto check = data::parse_json(plan.text, plan.file.string());
            Diagnostics sd;
            schema->validate(check, sd);
            if (!sd.empty()) throw Error(std::move(sd));
        }
    }
    return plan;
}

namespace {
std::string count(std::size_t k, std::string_view one, std::string_view few, std::string_view many) {
    return std::to_string(k) + " " + std::string(text::plural_form(static_cast<long long>(k), one, few, many));
}
}  // namespace

std::string summary(const Plan& plan, bool future) {
    if (!plan.changes_anything()) {
        std::string out = "нет новых значений";
        if (plan.values_same) out += " (" + count(plan.values_same, "значение совпадает", "значения совпадают", "значений совпадают") + " с записанными)";
        return out;
    }
    // Only the parts that are not zero, each after a colon (no verb to agree with the number).
    const std::string will = future ? "будет " : "";
    std::vector<std::string> parts;
    if (plan.records_added)
        parts.push_back(will + "добавлено: " + count(plan.records_added, "запись", "записи", "записей") + " (" +
                        count(plan.values_added, "значение", "значения", "значений") + ")");
    else if (plan.values_added)
        parts.push_back(will + "добавлено: " + count(plan.values_added, "значение", "значения", "значений"));
    if (plan.values_changed) parts.push_back(will + "изменено: " + count(plan.values_changed, "значение", "значения", "значений"));
    if (plan.values_same) parts.push_back("совпадают с записанными: " + count(plan.values_same, "значение", "значения", "значений"));
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? "; " : "") + parts[i];
    return out;
}

std::string report(const Plan& plan, bool dry_run, std::size_t max_lines) {
    std::string out = plan.file.filename().string() + ": " + summary(plan, dry_run);
    if (!plan.changes_anything()) return out + "; файл не изменён\n";
    out += dry_run ? " (--dry-run: файл не изменён)\n" : "\n";
    auto list = [&](const char* head, const std::vector<std::string>& lines) {
        if (lines.empty()) return;
        out += head;
        for (std::size_t i = 0; i < lines.size() && i < max_lines; ++i) out += "  " + lines[i] + "\n";
        if (lines.size() > max_lines) out += "  … и ещё " + std::to_string(lines.size() - max_lines) + "\n";
    };
    list("Добавлено:\n", plan.added);
    list("Изменено:\n", plan.changed);
    return out;
}

}  // namespace ppko::importer
