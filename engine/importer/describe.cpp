#include "importer/describe.h"

#include <algorithm>

#include "importer/import.h"
#include "io/resources.h"
#include "template/template.h"

namespace ppko::importer {


std::string describe(const workflow::Municipality& m) {
    const auto& ws = m.workspace();
    std::string out;
    if (const auto* t = m.table()) {
        out += "Идентификация: " + ws.identification + " — " + t->title() + "\n";
        out += "Показатели (indicators.json, записи по школам и учебным годам):\n";
        for (const auto& ms : t->measures()) {
            out += "  " + ms.path + " — " + ms.title;
            if (!ms.unit.empty() || ms.has_min || ms.has_max) {
                out += " (";
                if (!ms.unit.empty()) out += ms.unit;
                if (ms.has_min && ms.has_max) out += std::string(ms.unit.empty() ? "" : ", ") + number_ru(ms.min) + "–" + number_ru(ms.max);
                out += ")";
            }
            out += "\n";
        }
    } else {
        out += "Идентификация в workspace.json не указана: показатели не нужны\n";
    }
    if (const auto* w = m.workflow()) {
        out += "\nРабочий процесс: " + w->id + " — " + w->title + "\n";
        out += "Факты (facts.json, поле fact; дата и школа у каждого):\n";
        for (const auto& f : w->facts) {
            out += "  " + f.id + " — " + f.title + "\n";
            for (const auto& field : f.fields) {
                out += "    value." + field.id + " — " + field.title;
                if (!field.values.empty()) {
                    out += ":";
                    for (std::size_t i = 0; i < field.values.size(); ++i) {
                        out += (i ? ", " : " ") + field.values[i].first + " (" + field.values[i].second + ")";
                    }
                }
                out += "\n";
            }
        }
    }
    // The data files: every schema of a data file (top level of schemas/).
    std::vector<std::string> stems;
    for (const auto& name : ws.resources.list("schemas/")) {
        const std::string rest = name.substr(8);
        if (rest.find('/') == std::string::npos && rest.ends_with(".schema.json")) stems.push_back(rest.substr(0, rest.size() - 12));
    }
    out += "\nДокументы и файлы данных, которые читают их шаблоны:\n";
    tpl::Environment env(ws.resources);
    for (const auto& d : ws.documents) {
        const auto& t = env.get(d.template_name);
        std::string files;
        for (const auto& s : stems) {
            if (s != "workspace" && t.may_read(s)) files += (files.empty() ? "" : ", ") + s + ".json";
        }
        out += "  " + d.id + " (шаблон " + d.template_name + (d.title.empty() ? "" : ", «" + d.title + "»") + "): " +
               (files.empty() ? "—" : files) + "\n";
    }
    return out;
}

std::vector<std::pair<std::string, std::string>> builtin_files(const std::vector<std::string>& names) {
    const io::Resources res;  // the built-in set only
    std::vector<std::pair<std::string, std::string>> out;
    std::vector<std::string> unknown = names;
    for (const auto& name : res.list("")) {
        if (!names.empty()) {
            const auto it = std::find(unknown.begin(), unknown.end(), name);
            if (it == unknown.end()) continue;
            unknown.erase(it);
        }
        const auto r = res.find(name);
        out.emplace_back(name.starts_with("workflows/") ? name : "templates/" + name, std::string(r->text));
    }
    if (!unknown.empty()) {
        std::string msg = "встроенного файла нет:";
        for (const auto& u : unknown) msg += " «" + u + "»";
        msg += "; есть, например: order.tpl, schemas/schools.schema.json, profiles/…, workflows/ppko.json (ppko export builtin ПАПКА — все)";
        throw Error(ErrorId::cli_usage, "", {}, "", msg);
    }
    return out;
}

}  // namespace ppko::importer
