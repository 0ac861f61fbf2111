#include "importer/starter.h"

#include "data/json_source.h"
#include "diag/diagnostic.h"
#include "io/resources.h"
#include "text/russian.h"
#include "text/utf8.h"

namespace ppko::importer {

namespace {

using data::Json;

// `text` with every {KEY} replaced by its value.
std::string fill(std::string text, const std::vector<std::pair<std::string, std::string>>& values) {
    for (const auto& [key, value] : values) {
        const std::string mark = "{" + key + "}";
        for (std::size_t at = text.find(mark); at != std::string::npos; at = text.find(mark, at + value.size())) {
            text.replace(at, mark.size(), value);
        }
    }
    return text;
}

// A JSON string's inside (quotes and backslashes escaped), for a value put into a template.
std::string json_inner(const std::string& s) {
    const std::string d = Json(s).dump();
    return d.substr(1, d.size() - 2);
}

constexpr const char* kWorkspace = R"J({
  "workspace": "municipality",
  "title": "{AUTH}: программы повышения качества образования",
  "workflow": "ppko",
  "identification": "identification",
  "documents": [
    {
      "id": "order",
      "template": "order",
      "file": "prikaz",
      "title": "Приказ",
      "formats": [
        "docx"
      ],
      "appendices": [
        "roadmap"
      ]
    },
    {
      "id": "roadmap",
      "template": "roadmap",
      "file": "dorozhnaya-karta",
      "title": "Дорожная карта",
      "formats": [
        "docx",
        "xlsx"
      ]
    }
  ]
}
)J";

constexpr const char* kAuthority = R"J({
  "name": "{AUTH}",
  "name_genitive": "{AUTH_GEN}",
  "heading": [
    "{AUTH_UPPER}"
  ],
  "stamp_lines": [
    "к приказу {AUTH_GEN}"
  ],
  "municipality": "Муниципальное образование (впишите)",
  "region": "Субъект Российской Федерации (впишите)",
  "city": "Город (впишите)",
  "head": {
    "name": "Фамилия Имя Отчество",
    "position": [
      "Начальник"
    ],
    "illustrative": true
  }
}
)J";

constexpr const char* kOrder = R"J({
  "date": "01.09.{A}",
  "number": "1-о/д",
  "title": "Об организации работы со школами с низкими результатами обучения в {YEAR} учебном году",
  "grounds": "В целях повышения качества образования",
  "items": [
    "Утвердить дорожную карту (приложение).",
    "Контроль за исполнением настоящего приказа оставляю за собой."
  ]
}
)J";

constexpr const char* kRoadmap = R"J({
  "title": "Дорожная карта на {YEAR} учебный год",
  "rows": [
    {
      "activity": "Идентификация школ с низкими результатами обучения",
      "term": "сентябрь",
      "responsible": "муниципальный центр"
    }
  ]
}
)J";

constexpr const char* kSchools = R"J({
  "schools": [
    {
      "id": "sh-1",
      "name": "муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 1»",
      "short_name": "МБОУ «СШ № 1»",
      "kind": "СШ",
      "locality": "urban",
      "students": 500
    }
  ]
}
)J";

constexpr const char* kIndicators = R"J({
  "indicators": [
    {
      "school": "sh-1",
      "period": "{PERIOD}",
      "known_on": "{A}-07-15",
      "results": {
        "ege_rus_fail": 2.5,
        "ege_math_fail": 35,
        "oge_rus_fail": 12,
        "oge_math_fail": 31.5,
        "vpr_fail": 18
      },
      "context": {
        "low_income": 12,
        "disabled": 3
      },
      "source": "пример: замените выгрузкой РЦОИ (ppko import)"
    }
  ]
}
)J";

constexpr const char* kFacts = R"J({
  "facts": [
    {
      "date": "{A}-10-15",
      "school": "sh-1",
      "fact": "program_approved",
      "note": "Приказ по школе об утверждении программы повышения качества образования"
    }
  ]
}
)J";

constexpr const char* kReadmeHead = R"J(# Папка данных ppko

Создана командой `ppko init`. Каждый файл — по одной примерной записи: замените их своими
данными, затем проверьте папку (`ppko check .`) и создайте документы (`ppko render . -o ПАПКА`).

Показатели, школы и факты удобнее загружать из таблиц:

```sh
ppko import . выгрузка.xlsx --as indicators --year {PERIOD}
ppko import . школы.csv --as schools
ppko import . факты.xlsx --as facts
ppko advance . --date {B}-05-31
ppko render . -o ../документы
```

Учебный год программ — {YEAR}; показатели в `indicators.json` описывают предыдущий год
({PERIOD}), по ним идентификация относит школы к категориям. В `authority.json` проверьте
наименование в родительном падеже (`name_genitive`, строки `stamp_lines`): `ppko init` не склоняет
названия и пишет их как есть.

)J";

// The fields of a schema node, as README lines: «- `name` — title (обязательно)».
void describe_fields(const Json& fields, const std::string& indent, std::string& out) {
    for (auto it = fields.begin(); it != fields.end(); ++it) {
        const Json& f = *it;
        out += indent + "- `" + it.key() + "` — " + f.value("title", std::string());
        if (f.value("required", false)) out += " (обязательно)";
        if (f.contains("enum")) {
            out += "; значения:";
            for (const auto& v : f["enum"]) out += " «" + v.get<std::string>() + "»";
        }
        out += "\n";
    }
}

std::string readme(const std::vector<std::pair<std::string, std::string>>& values) {
    const io::Resources res;
    std::string out = fill(kReadmeHead, values);
    for (const char* stem : {"workspace", "authority", "order", "roadmap", "schools", "indicators", "facts"}) {
        const auto r = res.find(std::string("schemas/") + stem + ".schema.json");
        if (!r) continue;
        const Json schema = Json::parse(r->text);
        out += "## `" + std::string(stem) + ".json` — " + schema.value("title", std::string()) + "\n\n";
        const Json& fields = schema.contains("fields") ? schema["fields"] : Json::object();
        // A file of records: {"schools": [ … ]} — the wrapper key, then the fields of a record.
        bool wrapped = false;
        for (auto it = fields.begin(); it != fields.end(); ++it) {
            if (it->value("type", "") == "array" && it->contains("items") && (*it)["items"].contains("fields") &&
                std::string(stem) == it.key()) {
                out += "Записи — в списке `\"" + it.key() + "\": [ … ]`; поля записи:\n\n";
                describe_fields((*it)["items"]["fields"], "", out);
                wrapped = true;
            }
        }
        if (!wrapped) describe_fields(fields, "", out);
        out += "\n";
        if (std::string(stem) == "indicators") {
            if (const auto t = res.find("workflows/identification.json")) {
                const Json table = Json::parse(t->text);
                out += "Показатели методики идентификации (`results.…` и `context.…`, доли — проценты 0–100; вместо числа "
                       "можно написать «не проводилась», «нет такого класса», «отменена»):\n\n";
                for (const auto& m : table.value("measures", Json::array())) {
                    out += "- `" + m.value("path", std::string()) + "` — " + m.value("title", std::string()) + "\n";
                }
                out += "\n";
            }
        }
        if (std::string(stem) == "facts") {
            if (const auto w = res.find("workflows/ppko.json")) {
                const Json wf = Json::parse(w->text);
                out += "Факты рабочего процесса `ppko` (поле `fact`):\n\n";
                for (const auto& f : wf.value("facts", Json::array())) {
                    out += "- `" + f.value("id", std::string()) + "` — " + f.value("title", std::string());
                    for (const auto& field : f.value("fields", Json::array())) {
                        out += "; `value." + field.value("id", std::string()) + "`:";
                        for (const auto& v : field.value("values", Json::array())) {
                            out += " `" + v.value("id", std::string()) + "` (" + v.value("title", std::string()) + ")";
                        }
                    }
                    out += "\n";
                }
                out += "\n";
            }
        }
    }
    return out;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> starter_files(const StarterOptions& opts) {
    const auto first = text::parse_academic_year(opts.year);
    if (!first) {
        throw Error(ErrorId::cli_usage, "", {}, "", "учебный год «" + opts.year + "» записан неверно; пример: --year 2021-2022");
    }
    const int a = *first;
    const std::string auth = opts.authority.empty() ? "Отдел образования" : opts.authority;
    const std::string gen = opts.authority.empty() ? "Отдела образования" : opts.authority;
    const std::vector<std::pair<std::string, std::string>> values = {
        {"AUTH_UPPER", json_inner(text::change_case(auth, true))},
        {"AUTH_GEN", json_inner(gen)},
        {"AUTH", json_inner(auth)},
        {"YEAR", opts.year},
        {"PERIOD", std::to_string(a - 1) + "-" + std::to_string(a)},
        {"A", std::to_string(a)},
        {"B", std::to_string(a + 1)},
    };
    std::vector<std::pair<std::string, std::string>> files = {
        {"workspace.json", fill(kWorkspace, values)}, {"authority.json", fill(kAuthority, values)},
        {"order.json", fill(kOrder, values)},         {"roadmap.json", fill(kRoadmap, values)},
        {"schools.json", fill(kSchools, values)},     {"indicators.json", fill(kIndicators, values)},
        {"facts.json", fill(kFacts, values)},
    };
    files.emplace_back("README.md", readme(values));
    return files;
}

}  // namespace ppko::importer
