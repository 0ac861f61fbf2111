#include "data/fields.h"

#include <algorithm>

#include "data/schema.h"

namespace ppko::data {

void FieldReader::error(ErrorId id, const std::string& path, std::string message) {
    out_.add(id, doc_.file, doc_.position_of(path), path, std::move(message));
}

bool FieldReader::keys(const Json& obj, const std::string& path, const std::vector<std::string>& allowed) {
    if (!obj.is_object()) {
        wrong_type(path, "объект { … }", obj);
        return false;
    }
    for (const auto& [k, v] : obj.items()) {
        if (std::find(allowed.begin(), allowed.end(), k) != allowed.end()) continue;
        const std::string kp = path_member(path, k);
        std::string msg = "поле «" + k + "» здесь не предусмотрено";
        const auto near = nearest(k, allowed);
        if (!near.empty()) msg += "; возможно, имелось в виду «" + near + "»";
        out_.add(ErrorId::data_unknown_key, doc_.file, doc_.key_position_of(kp), kp, std::move(msg));
    }
    return true;
}

const Json* FieldReader::member(const Json& obj, const char* key) {
    if (!obj.is_object()) return nullptr;
    const auto it = obj.find(key);
    return it == obj.end() || it->is_null() ? nullptr : &*it;
}

void FieldReader::wrong_type(const std::string& path, const char* expected, const Json& got) {
    error(ErrorId::data_wrong_type, path, std::string("ожидалось: ") + expected + ", а записано: " + describe_value(got));
}

std::string FieldReader::str(const Json& obj, const char* key, const std::string& path, bool required) {
    const Json* v = member(obj, key);
    if (!v) {
        if (required) {
            out_.add(ErrorId::data_missing_field, doc_.file, doc_.position_of(path), path_member(path, key),
                     std::string("не заполнено обязательное поле «") + key + "»");
        }
        return {};
    }
    if (!v->is_string()) {
        wrong_type(path_member(path, key), "текст в кавычках", *v);
        return {};
    }
    return v->get<std::string>();
}

const Json& FieldReader::list(const Json& obj, const char* key, const std::string& path) {
    static const Json none = Json::array();
    const Json* v = member(obj, key);
    if (!v) return none;
    if (!v->is_array()) {
        wrong_type(path_member(path, key), "список [ … ]", *v);
        return none;
    }
    return *v;
}

const Json& FieldReader::object(const Json& obj, const char* key, const std::string& path) {
    static const Json none = Json::object();
    const Json* v = member(obj, key);
    if (!v) return none;
    if (!v->is_object()) {
        wrong_type(path_member(path, key), "объект { … }", *v);
        return none;
    }
    return *v;
}

bool FieldReader::flag(const Json& obj, const char* key, const std::string& path, bool fallback) {
    const Json* v = member(obj, key);
    if (!v) return fallback;
    if (!v->is_boolean()) {
        wrong_type(path_member(path, key), "true или false", *v);
        return fallback;
    }
    return v->get<bool>();
}

double FieldReader::number(const Json& obj, const char* key, const std::string& path, double fallback) {
    const Json* v = member(obj, key);
    if (!v) return fallback;
    if (!v->is_number()) {
        wrong_type(path_member(path, key), "число", *v);
        return fallback;
    }
    return v->get<double>();
}

std::vector<std::string> FieldReader::strings(const Json& obj, const char* key, const std::string& path) {
    std::vector<std::string> out;
    const Json& items = list(obj, key, path);
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (items[i].is_string()) {
            out.push_back(items[i].get<std::string>());
        } else {
            wrong_type(path_index(path_member(path, key), i), "текст в кавычках", items[i]);
        }
    }
    return out;
}

}  // namespace ppko::data
