// Document properties parts: docProps/core.xml (OPC core properties, ECMA-376 Part 2 §11) and
// docProps/app.xml (extended properties, Part 1 §22.2). No timestamps, so output is reproducible.
#pragma once

#include <string>

#include "document/model.h"

namespace ppko::docx {

// Replaces `out` with core.xml: dc:title = doc.title (omitted when empty), dc:language ru-RU.
void write_core_properties(const doc::Document& doc, std::string& out);
// Replaces `out` with app.xml naming the producing application.
void write_app_properties(std::string& out);

}  // namespace ppko::docx
