// A workspace: a folder of JSON data files (one per schema in templates/schemas/, named by the
// schema's stem), a workspace.json that declares the documents to render, and an optional
// templates/ folder whose files override the built-in templates, schemas and profiles.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "data/json_source.h"
#include "io/resources.h"

namespace ppko::data {

struct DocumentSpec {
    std::string id;        // for --only
    std::string template_name;
    std::string file;      // output file name without extension
    std::string title;
    bool docx = false;
    bool xlsx = false;
    std::vector<std::string> appendices;  // ids of documents appended (numbered from 1)
    bool per_participant = false;         // one document per participating school of a year
    std::string year;                     // "2020-2021", or "" (from the command line or the data)
    std::string date;                     // the document's date or where to take it ("council.date" …); "" = the year's end
    std::string council;                  // councils.json id, or "" (the year's last council)
    std::string json_path;                // where it is declared, for messages
};

struct Workspace {
    std::filesystem::path dir;
    std::string name;      // short latin name, the output sub-folder
    std::string title;
    std::string profile;   // layout profile id
    std::string workflow;        // program workflow id (workflows/<id>.json), "" when not used
    std::string identification;  // identification decision table id, "" when not used
    std::vector<DocumentSpec> documents;
    // Every data file's normalised value under its stem: {"authority": {…}, "order": {…}, …}.
    Json data = Json::object();
    // The parsed files (text and positions for later messages), by stem; workspace.json is
    // "workspace". Their values are moved out (into `data`, or for workspace.json into the
    // fields above), so `sources[stem].value` is null: use them for positions only.
    std::map<std::string, JsonDocument> sources;
    io::Resources resources;  // built-in + the workspace's templates/ overrides

    const DocumentSpec* find_document(std::string_view id) const;
};

// Loads and checks every data file of `dir`. Collects all problems of all files and throws one
// ppko::Error with them; returns only a fully valid workspace.
Workspace load_workspace(const std::filesystem::path& dir);

}  // namespace ppko::data
